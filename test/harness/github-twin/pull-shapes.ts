// Pull requests as GitHub's REST API shows them: the listing shape and, for a created pull request, the
// full shape with merge and review counters.
import { repository } from './repository-shape';
import { user, type TwinUrls } from './shapes';

export interface TwinPullRequest {
  number: number;
  title: string;
  body: string | null;
  /** Head branch name. */
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  /** The head commit when the pull request stopped following its branch (merged or closed). */
  frozenHeadSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
}

const AUTHOR_LOGIN = 'safedeploy-bot';

export function pullRequestSimple(
  urls: TwinUrls,
  defaultBranch: string,
  pull: TwinPullRequest,
  shas: { head: string; base: string },
) {
  const api = `${urls.api}/repos/${urls.owner}/${urls.repo}`;
  const html = `${urls.web}/${urls.owner}/${urls.repo}/pull/${pull.number}`;
  const self = `${api}/pulls/${pull.number}`;
  const repo = repository(urls, defaultBranch);
  const owner = user(urls, urls.owner, 1);
  const link = (href: string) => ({ href });
  return {
    url: self,
    id: 1000 + pull.number,
    node_id: `PR_${pull.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${shas.head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: user(urls, AUTHOR_LOGIN, 2),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${urls.owner}:${pull.head}`, ref: pull.head, sha: shas.head, user: owner, repo },
    base: { label: `${urls.owner}:${pull.base}`, ref: pull.base, sha: shas.base, user: owner, repo },
    _links: {
      self: link(self),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${self}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${self}/commits`),
      statuses: link(`${api}/statuses/${shas.head}`),
    },
    author_association: 'NONE',
    auto_merge: null,
    draft: false,
  };
}

export function pullRequestFull(
  urls: TwinUrls,
  defaultBranch: string,
  pull: TwinPullRequest,
  shas: { head: string; base: string },
) {
  return {
    ...pullRequestSimple(urls, defaultBranch, pull, shas),
    merged: pull.merged,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}
