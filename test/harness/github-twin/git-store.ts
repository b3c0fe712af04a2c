// An in-memory git object database for one repository: blobs (with real git blob ids, so clients may
// compare them with their own), flat trees (path → blob), commits with parents, and refs. History and
// merging are in git-history.ts.
import { createHash } from 'node:crypto';

export interface Person {
  name: string;
  email: string;
  /** ISO 8601, seconds precision, like GitHub. */
  date: string;
}

export interface StoredCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: Person;
  committer: Person;
  /** Creation order, newest highest: orders listings of commits made within the same second. */
  seq: number;
}

/** A tree flattened to full paths. */
export type FlatTree = ReadonlyMap<string, string>;

export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
  size?: number;
}

const TWIN_PERSON = { name: 'GitHub Twin', email: 'twin@example.invalid' };

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export class GitStore {
  private readonly blobs = new Map<string, string>();
  private readonly trees = new Map<string, FlatTree>();
  private readonly commits = new Map<string, StoredCommit>();
  private readonly refs = new Map<string, string>();
  private seq = 0;

  putBlob(content: string): string {
    const sha = gitBlobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  blob(sha: string): string | undefined {
    return this.blobs.get(sha);
  }

  putTree(tree: FlatTree): string {
    const sorted = [...tree.entries()].sort(([a], [b]) => a.localeCompare(b));
    const sha = createHash('sha1')
      .update(`tree\0${JSON.stringify(sorted)}`)
      .digest('hex');
    this.trees.set(sha, new Map(sorted));
    return sha;
  }

  tree(sha: string): FlatTree | undefined {
    return this.trees.get(sha);
  }

  /** `base` with `changes` applied; a null sha deletes the path. */
  deriveTree(base: FlatTree, changes: { path: string; sha: string | null }[]): string {
    const next = new Map(base);
    for (const { path, sha } of changes) {
      if (sha === null) next.delete(path);
      else next.set(path, sha);
    }
    return this.putTree(next);
  }

  /** Top-level entries of a tree, with subdirectories as tree entries, as GitHub lists them. */
  listTree(sha: string): TreeEntry[] {
    const directories = new Map<string, Map<string, string>>();
    const entries: TreeEntry[] = [];
    for (const [path, blob] of this.tree(sha) ?? []) {
      const [head, ...rest] = path.split('/');
      if (head === undefined) continue;
      if (rest.length === 0) {
        entries.push({
          path,
          mode: '100644',
          type: 'blob',
          sha: blob,
          size: Buffer.byteLength(this.blob(blob) ?? ''),
        });
      } else {
        const directory = directories.get(head) ?? new Map<string, string>();
        directory.set(rest.join('/'), blob);
        directories.set(head, directory);
      }
    }
    for (const [path, directory] of directories) {
      entries.push({ path, mode: '040000', type: 'tree', sha: this.putTree(directory) });
    }
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  putCommit(input: {
    tree: string;
    parents: string[];
    message: string;
    author?: Person;
    committer?: Person;
  }): StoredCommit {
    const now = isoSeconds(new Date());
    const author = input.author ?? { ...TWIN_PERSON, date: now };
    const committer = input.committer ?? author;
    const content = { tree: input.tree, parents: input.parents, message: input.message, author, committer };
    const sha = createHash('sha1')
      .update(`commit\0${JSON.stringify(content)}`)
      .digest('hex');
    const existing = this.commits.get(sha);
    if (existing !== undefined) return existing;
    const commit = { sha, ...content, seq: ++this.seq };
    this.commits.set(sha, commit);
    return commit;
  }

  commit(sha: string): StoredCommit | undefined {
    return this.commits.get(sha);
  }

  /** `name` is a full ref without the leading "refs/", e.g. heads/main. */
  ref(name: string): string | undefined {
    return this.refs.get(name);
  }

  setRef(name: string, sha: string): void {
    this.refs.set(name, sha);
  }

  /** A branch name, heads/<branch>, refs/heads/<branch> or a full commit sha → commit sha. */
  resolve(ref: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(ref) && this.commits.has(ref)) return ref;
    const name = ref.replace(/^refs\//, '');
    return this.refs.get(name) ?? this.refs.get(`heads/${name}`);
  }

  fileAt(commitSha: string, path: string): string | undefined {
    const commit = this.commits.get(commitSha);
    return commit === undefined ? undefined : this.trees.get(commit.tree)?.get(path);
  }

  /** The flat tree of a commit (empty for an unknown commit). */
  treeOf(commitSha: string): FlatTree {
    const commit = this.commits.get(commitSha);
    return (commit && this.trees.get(commit.tree)) ?? new Map<string, string>();
  }
}
