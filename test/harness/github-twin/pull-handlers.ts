// Handlers for pull requests and the GitHub App installation-token exchange, plus the merge and close
// actions a human would take on github.com (exposed to tests as hooks).
import { isAncestor, merge } from './git-history';
import { isoSeconds } from './git-store';
import { pullRequestFull, pullRequestSimple, type TwinPullRequest } from './pull-shapes';
import { validationFailed } from './replies';
import { paginate, type Handler, type TwinState } from './state';

export const listPulls: Handler = (state, request) => {
  const { query } = request;
  const wanted = query['state'] ?? 'open';
  const direction = query['direction'] ?? 'desc';
  const pulls = state.pulls
    .filter((pull) => wanted === 'all' || pull.state === wanted)
    .filter((pull) => query['head'] === undefined || `${state.urls.owner}:${pull.head}` === query['head'])
    .filter((pull) => query['base'] === undefined || pull.base === query['base'])
    .sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  const { page, headers } = paginate(pulls, request);
  return {
    status: 200,
    body: page.map((pull) => pullRequestSimple(state.urls, state.defaultBranch, pull, shasOf(state, pull))),
    headers,
  };
};

export const createPull: Handler = (state, { body }) => {
  const input = body as { title?: string; head: string; base: string; body?: string };
  const head = input.head.includes(':') ? input.head.slice(input.head.indexOf(':') + 1) : input.head;
  const headSha = state.store.ref(`heads/${head}`);
  const baseSha = state.store.ref(`heads/${input.base}`);
  if (baseSha === undefined) throw validationFailed('PullRequest', 'base is invalid', 'base');
  if (headSha === undefined) throw validationFailed('PullRequest', 'head is invalid', 'head');
  if (state.pulls.some((pull) => pull.state === 'open' && pull.head === head && pull.base === input.base)) {
    throw validationFailed('PullRequest', `A pull request already exists for ${state.urls.owner}:${head}.`);
  }
  if (isAncestor(state.store, headSha, baseSha)) {
    throw validationFailed('PullRequest', `No commits between ${input.base} and ${head}`);
  }
  const now = isoSeconds(new Date());
  const pull: TwinPullRequest = {
    number: state.pulls.length + 1,
    title: input.title ?? head,
    body: input.body ?? null,
    head,
    base: input.base,
    state: 'open',
    merged: false,
    mergeCommitSha: null,
    frozenHeadSha: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
  };
  state.pulls.push(pull);
  return { status: 201, body: pullRequestFull(state.urls, state.defaultBranch, pull, shasOf(state, pull)) };
};

/** Merges like the "Create a merge commit" button: a two-parent commit on the base branch. */
export function mergePull(state: TwinState, number: number): string {
  const pull = openPull(state, number);
  const { head, base } = shasOf(state, pull);
  const mergeCommit = merge(
    state.store,
    base,
    head,
    `Merge pull request #${number} from ${state.urls.owner}/${pull.head}`,
  );
  state.store.setRef(`heads/${pull.base}`, mergeCommit.sha);
  const now = isoSeconds(new Date());
  Object.assign(pull, {
    state: 'closed',
    merged: true,
    mergeCommitSha: mergeCommit.sha,
    frozenHeadSha: head,
    mergedAt: now,
    closedAt: now,
    updatedAt: now,
  });
  return mergeCommit.sha;
}

export function closePull(state: TwinState, number: number): void {
  const pull = openPull(state, number);
  const now = isoSeconds(new Date());
  Object.assign(pull, {
    state: 'closed',
    frozenHeadSha: shasOf(state, pull).head,
    closedAt: now,
    updatedAt: now,
  });
}

export const createInstallationToken: Handler = (state, { params, authorization }) => {
  const { token, expiresAt } = state.credentials.exchange(authorization, Number(params['installation_id']));
  return {
    status: 201,
    body: {
      token,
      expires_at: expiresAt.toISOString(),
      permissions: { contents: 'write', pull_requests: 'write' },
      repository_selection: 'selected',
    },
  };
};

function openPull(state: TwinState, number: number): TwinPullRequest {
  const pull = state.pulls.find((candidate) => candidate.number === number);
  if (pull === undefined || pull.state !== 'open')
    throw new Error(`twin: pull request #${number} is not open`);
  return pull;
}

/** An open pull request follows its branch; a closed one keeps the head it had. */
function shasOf(state: TwinState, pull: TwinPullRequest): { head: string; base: string } {
  const head = pull.frozenHeadSha ?? state.store.ref(`heads/${pull.head}`) ?? '';
  return { head, base: state.store.ref(`heads/${pull.base}`) ?? '' };
}
