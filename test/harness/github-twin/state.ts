// The twin's repository state shared by its handlers and test hooks.
import type { TwinCredentials } from './credentials';
import type { FaultPlan } from './faults';
import { isoSeconds, type GitStore, type Person } from './git-store';
import type { TwinPullRequest } from './pull-shapes';
import type { TwinReply } from './replies';
import type { TwinUrls } from './shapes';

export interface TwinState {
  store: GitStore;
  pulls: TwinPullRequest[];
  urls: TwinUrls;
  defaultBranch: string;
  faults: FaultPlan;
  credentials: TwinCredentials;
}

/** A request after routing; its parameters and body have passed OpenAPI validation. */
export interface TwinRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  /** Absolute URL as received, for pagination links. */
  url: URL;
}

export type Handler = (state: TwinState, request: TwinRequest) => TwinReply;

/** Commits `files` on top of `branch` (creating the branch at `from` if missing) and moves the branch. */
export function commitOnBranch(
  state: TwinState,
  branch: string,
  files: Record<string, string>,
  options: { message?: string; date?: Date } = {},
): string {
  const { store } = state;
  const parent = store.ref(`heads/${branch}`);
  const tree = store.deriveTree(
    parent === undefined ? new Map<string, string>() : store.treeOf(parent),
    Object.entries(files).map(([path, content]) => ({ path, sha: store.putBlob(content) })),
  );
  const author: Person = {
    name: 'Twin Tester',
    email: 'tester@example.invalid',
    date: isoSeconds(options.date ?? new Date()),
  };
  const commit = store.putCommit({
    tree,
    parents: parent === undefined ? [] : [parent],
    message: options.message ?? 'Update files',
    author,
  });
  store.setRef(`heads/${branch}`, commit.sha);
  return commit.sha;
}

/** A slice of `items` per GitHub's page/per_page, with a Link header when more pages follow. */
export function paginate<T>(
  items: T[],
  request: TwinRequest,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Number(request.query['per_page'] ?? 30), 100);
  const page = Number(request.query['page'] ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number): string => {
    const url = new URL(request.url);
    url.searchParams.set('page', String(target));
    return url.toString();
  };
  const headers: Record<string, string> =
    page < last ? { link: `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"` } : {};
  return { page: items.slice((page - 1) * perPage, page * perPage), headers };
}
