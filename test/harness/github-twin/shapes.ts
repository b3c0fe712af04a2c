// GitHub-shaped JSON for the twin's responses. Fields the OpenAPI description requires are all present
// (the twin validates every success response against it); values are plausible, URLs point at the twin.
import type { Person, StoredCommit, TreeEntry } from './git-store';

export interface TwinUrls {
  /** API root, e.g. http://127.0.0.1:1234/api/v3 */
  api: string;
  /** Web root for html_url, e.g. http://127.0.0.1:1234 */
  web: string;
  owner: string;
  repo: string;
}

export function user(urls: TwinUrls, login: string, id: number) {
  const api = `${urls.api}/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${urls.web}/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

export function gitRef(urls: TwinUrls, ref: string, sha: string) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  return {
    ref: `refs/${ref}`,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: `${api}/git/refs/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

export function gitCommit(urls: TwinUrls, commit: StoredCommit) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${urls.web}/${urls.owner}/${urls.repo}/commit/${commit.sha}`,
    author: person(commit.author),
    committer: person(commit.committer),
    message: commit.message,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${urls.web}/${urls.owner}/${urls.repo}/commit/${sha}`,
    })),
    verification: unverified(),
  };
}

/** A commit as the commits listing (repos.listCommits) shows it. */
export function listedCommit(urls: TwinUrls, commit: StoredCommit) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  const git = gitCommit(urls, commit);
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: git.node_id,
    html_url: git.html_url,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: git.url,
      author: git.author,
      committer: git.committer,
      message: commit.message,
      comment_count: 0,
      tree: git.tree,
      verification: git.verification,
    },
    // GitHub answers null when the commit's e-mail belongs to no account.
    author: null,
    committer: null,
    parents: git.parents,
  };
}

export function tree(urls: TwinUrls, sha: string, entries: TreeEntry[]) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((entry) => ({ ...entry, url: `${api}/git/${entry.type}s/${entry.sha}` })),
  };
}

export function blobReference(urls: TwinUrls, sha: string) {
  return { sha, url: `${urls.api}/repos/${urls.owner}/${urls.repo}/git/blobs/${sha}` };
}

/** The contents API wraps base64 at 60 columns, as GitHub does. */
export function contentFile(
  urls: TwinUrls,
  file: { path: string; sha: string; content: string; ref: string },
) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  const self = `${api}/contents/${file.path}?ref=${encodeURIComponent(file.ref)}`;
  const gitUrl = `${api}/git/blobs/${file.sha}`;
  const htmlUrl = `${urls.web}/${urls.owner}/${urls.repo}/blob/${encodeURIComponent(file.ref)}/${file.path}`;
  return {
    type: 'file' as const,
    encoding: 'base64',
    size: Buffer.byteLength(file.content),
    name: file.path.split('/').pop() ?? file.path,
    path: file.path,
    content:
      (
        Buffer.from(file.content)
          .toString('base64')
          .match(/.{1,60}/g) ?? []
      ).join('\n') + '\n',
    sha: file.sha,
    url: self,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: `${urls.web}/raw/${urls.owner}/${urls.repo}/${file.sha}/${file.path}`,
    _links: { self, git: gitUrl, html: htmlUrl },
  };
}

function person(value: Person): Person {
  return { name: value.name, email: value.email, date: value.date };
}

function unverified() {
  return { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };
}
