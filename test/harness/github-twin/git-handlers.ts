// Handlers for the git data API (refs, commits, blobs, trees), contents and the commits listing.
import { fileHistory, isAncestor, log } from './git-history';
import { isoSeconds } from './git-store';
import { GitHubHttpError, notFound, unprocessable } from './replies';
import { blobReference, contentFile, gitCommit, gitRef, listedCommit, tree } from './shapes';
import { commitOnBranch, paginate, type Handler } from './state';

// Bodies below are cast to their documented shapes: the server validated them against the description.
type TreeEntryInput = { path?: string; mode?: string; type?: string; sha?: string | null; content?: string };

export const getRef: Handler = ({ store, urls }, { params }) => {
  const ref = params['ref'] ?? '';
  const sha = store.ref(ref);
  if (sha === undefined) throw notFound();
  return { status: 200, body: gitRef(urls, ref, sha) };
};

export const getCommit: Handler = ({ store, urls }, { params }) => {
  const commit = store.commit(params['commit_sha'] ?? '');
  if (commit === undefined) throw notFound();
  return { status: 200, body: gitCommit(urls, commit) };
};

export const getContent: Handler = ({ store, urls, defaultBranch }, { params, query }) => {
  const ref = query['ref'] ?? defaultBranch;
  const path = params['path'] ?? '';
  const commit = store.resolve(ref);
  if (commit === undefined) throw new GitHubHttpError(404, `No commit found for the ref ${ref}`);
  const sha = store.fileAt(commit, path);
  const content = sha === undefined ? undefined : store.blob(sha);
  if (sha === undefined || content === undefined) throw notFound();
  return { status: 200, body: contentFile(urls, { path, sha, content, ref }) };
};

export const listCommits: Handler = ({ store, urls, defaultBranch }, request) => {
  const { query } = request;
  const head = store.resolve(query['sha'] ?? defaultBranch);
  if (head === undefined) throw notFound();
  const until = query['until'] === undefined ? Infinity : Date.parse(query['until']);
  const since = query['since'] === undefined ? -Infinity : Date.parse(query['since']);
  const path = query['path'];
  const commits = (path === undefined ? log(store, head) : fileHistory(store, head, path)).filter(
    (commit) => {
      const date = Date.parse(commit.committer.date);
      return date <= until && date >= since;
    },
  );
  const { page, headers } = paginate(commits, request);
  return { status: 200, body: page.map((commit) => listedCommit(urls, commit)), headers };
};

export const createBlob: Handler = ({ store, urls }, { body }) => {
  const { content, encoding } = body as { content: string; encoding?: string };
  if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'base64')
    throw unprocessable(`encoding ${encoding} is not supported`);
  const text = encoding === 'base64' ? Buffer.from(content, 'base64').toString('utf8') : content;
  return { status: 201, body: blobReference(urls, store.putBlob(text)) };
};

export const createTree: Handler = ({ store, urls }, { body }) => {
  const { base_tree: baseTree, tree: entries } = body as { base_tree?: string; tree: TreeEntryInput[] };
  const base = baseTree === undefined ? new Map<string, string>() : store.tree(baseTree);
  if (base === undefined) throw unprocessable('base_tree is not a valid tree oid');
  const changes = entries.map((entry) => {
    if (entry.path === undefined || entry.type !== 'blob')
      throw unprocessable('tree entries must be blobs with a path');
    if (entry.content !== undefined) return { path: entry.path, sha: store.putBlob(entry.content) };
    if (entry.sha !== null && (entry.sha === undefined || store.blob(entry.sha) === undefined)) {
      throw unprocessable(`tree.sha ${String(entry.sha)} is not a valid blob`);
    }
    return { path: entry.path, sha: entry.sha };
  });
  const sha = store.deriveTree(base, changes);
  return { status: 201, body: tree(urls, sha, store.listTree(sha)) };
};

export const createCommit: Handler = ({ store, urls }, { body }) => {
  const input = body as {
    message: string;
    tree: string;
    parents?: string[];
    author?: { name: string; email: string; date?: string };
  };
  if (store.tree(input.tree) === undefined) throw unprocessable('Tree SHA does not exist');
  const parents = input.parents ?? [];
  if (parents.some((parent) => store.commit(parent) === undefined)) {
    throw unprocessable('Parent SHA does not exist or is not a commit object');
  }
  const author = input.author && { ...input.author, date: input.author.date ?? isoSeconds(new Date()) };
  const commit = store.putCommit({
    tree: input.tree,
    parents,
    message: input.message,
    ...(author ? { author } : {}),
  });
  return { status: 201, body: gitCommit(urls, commit) };
};

export const createRef: Handler = ({ store, urls }, { body }) => {
  const { ref, sha } = body as { ref: string; sha: string };
  if (!/^refs\/[^/]+\/.+/.test(ref)) throw unprocessable(`${ref} is not a valid ref name.`);
  if (store.commit(sha) === undefined) throw unprocessable('Object does not exist');
  const name = ref.replace(/^refs\//, '');
  if (store.ref(name) !== undefined) throw unprocessable('Reference already exists');
  store.setRef(name, sha);
  return { status: 201, body: gitRef(urls, name, sha) };
};

export const updateRef: Handler = (state, { params, body }) => {
  const { store, urls } = state;
  const name = params['ref'] ?? '';
  const { sha, force } = body as { sha: string; force?: boolean };
  const pushed = name.startsWith('heads/')
    ? state.faults.takeConcurrentPush(name.slice('heads/'.length))
    : undefined;
  if (pushed !== undefined)
    commitOnBranch(state, name.slice('heads/'.length), pushed, { message: 'Concurrent push' });
  const current = store.ref(name);
  if (current === undefined) throw unprocessable('Reference does not exist');
  if (store.commit(sha) === undefined) throw unprocessable('Object does not exist');
  if (force !== true && !isAncestor(store, current, sha)) throw unprocessable('Update is not a fast forward');
  store.setRef(name, sha);
  return { status: 200, body: gitRef(urls, name, sha) };
};
