// Walking and merging the twin's commit graph: reachability, `git log` (with path history simplified
// as git does by default) and a three-way merge for the "merge pull request" hook.
import type { GitStore, StoredCommit } from './git-store';

export class MergeConflictError extends Error {}

/** The commit and everything reachable from it. */
export function ancestors(store: GitStore, sha: string): Set<string> {
  const found = new Set<string>();
  const pending = [sha];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(store.commit(next)?.parents ?? []));
  }
  return found;
}

export function isAncestor(store: GitStore, ancestor: string, descendant: string): boolean {
  return ancestors(store, descendant).has(ancestor);
}

/** `git log <head>`: every commit reachable from `head`, newest first. */
export function log(store: GitStore, head: string): StoredCommit[] {
  return newestFirst(
    [...ancestors(store, head)]
      .map((sha) => store.commit(sha))
      .filter((commit): commit is StoredCommit => commit !== undefined),
  );
}

/**
 * `git log <head> -- <path>` with git's default history simplification: a commit identical (for `path`)
 * to one of its parents is skipped and only that parent followed, so a merge shows the branch's commit.
 */
export function fileHistory(store: GitStore, head: string, path: string): StoredCommit[] {
  const found: StoredCommit[] = [];
  const seen = new Set<string>();
  const pending = [head];
  for (let sha = pending.pop(); sha !== undefined; sha = pending.pop()) {
    const commit = store.commit(sha);
    if (commit === undefined || seen.has(sha)) continue;
    seen.add(sha);
    const blob = store.fileAt(sha, path);
    const same = commit.parents.find((parent) => store.fileAt(parent, path) === blob);
    if (same !== undefined) {
      pending.push(same);
      continue;
    }
    if (blob !== undefined || commit.parents.length > 0) found.push(commit);
    pending.push(...commit.parents);
  }
  return newestFirst(found);
}

/** A merge commit of `theirs` into `ours` (three-way, per path); throws MergeConflictError. */
export function merge(store: GitStore, ours: string, theirs: string, message: string): StoredCommit {
  const base = mergeBase(store, ours, theirs);
  const [oursTree, theirsTree] = [store.treeOf(ours), store.treeOf(theirs)];
  const baseTree = base === undefined ? new Map<string, string>() : store.treeOf(base);
  const changes: { path: string; sha: string | null }[] = [];
  for (const path of new Set([...theirsTree.keys(), ...baseTree.keys()])) {
    const [mine, yours, original] = [oursTree.get(path), theirsTree.get(path), baseTree.get(path)];
    if (yours === original || yours === mine) continue;
    if (mine !== original) throw new MergeConflictError(`merge conflict in ${path}`);
    changes.push({ path, sha: yours ?? null });
  }
  return store.putCommit({ tree: store.deriveTree(oursTree, changes), parents: [ours, theirs], message });
}

function mergeBase(store: GitStore, a: string, b: string): string | undefined {
  const ofA = ancestors(store, a);
  const common = [...ancestors(store, b)].filter((sha) => ofA.has(sha)).map((sha) => store.commit(sha));
  return newestFirst(common.filter((commit): commit is StoredCommit => commit !== undefined))[0]?.sha;
}

function newestFirst(commits: StoredCommit[]): StoredCommit[] {
  return commits.sort((a, b) => b.seq - a.seq);
}
