// Pull requests for one head branch, as provider-neutral Changes.
import type { Change } from '../provider';
import type { GitHubClient } from './octokit';
import type { Call, RepositoryCoordinates } from './repository';

type PullRequest = Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data'][number];

export class GitHubPulls {
  constructor(
    private readonly call: Call,
    private readonly coordinates: RepositoryCoordinates,
    private readonly baseBranch: string,
  ) {}

  /** Every pull request from `branch` into the base branch, newest first, in any state. */
  async forBranch(branch: string): Promise<Change[]> {
    const pulls = await this.call('pulls.list', async (client) => {
      const { data } = await client.rest.pulls.list({
        ...this.coordinates,
        head: `${this.coordinates.owner}:${branch}`,
        base: this.baseBranch,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: 100,
      });
      return data;
    });
    return pulls.map((pull) => toChange(branch, pull));
  }

  /** Opens the pull request; 'exists' when one is already open for the branch (a concurrent or earlier run). */
  open(request: { branch: string; title: string; body: string }): Promise<Change | 'exists'> {
    return this.call<Change | 'exists'>(
      'pulls.create',
      async (client) => {
        const { data } = await client.rest.pulls.create({
          ...this.coordinates,
          head: request.branch,
          base: this.baseBranch,
          title: request.title,
          body: request.body,
          maintainer_can_modify: false,
        });
        return toChange(request.branch, data);
      },
      (failure) =>
        failure.status === 422 && /pull request already exists/i.test(failure.message) ? 'exists' : undefined,
    );
  }
}

/** The change that speaks for a branch: an open pull request, else the latest merged one, else the latest. */
export function currentChange(changes: readonly Change[]): Change | null {
  return (
    changes.find((change) => change.state === 'open') ??
    changes.find((change) => change.state === 'merged') ??
    changes[0] ??
    null
  );
}

function toChange(
  branch: string,
  pull: Pick<PullRequest, 'number' | 'state' | 'html_url' | 'merged_at' | 'merge_commit_sha' | 'head'>,
): Change {
  const merged = pull.merged_at !== null;
  return {
    branch,
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    url: pull.html_url,
    number: pull.number,
    headSha: pull.head.sha,
    // GitHub fills merge_commit_sha with a test merge while a pull request is open; only a merge counts.
    ...(merged && pull.merge_commit_sha !== null ? { mergeCommit: pull.merge_commit_sha } : {}),
  };
}
