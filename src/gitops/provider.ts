// One narrow interface over every place SafeDeploy can open a change: a GitHub repository (pull
// request) or any git remote (a pushed branch, merged by a human). Providers wrap their SDK privately.

/** A change SafeDeploy wants reviewed: one branch, one commit on top of the base, one pull request. */
export interface ChangeRequest {
  /** Deterministic, e.g. safedeploy/<incident-id>/<proposal-type>; the same cause always maps here. */
  branch: string;
  title: string;
  /** Markdown; carries the evidence. Must never contain credentials. */
  body: string;
  commitMessage: string;
  /** Full new contents of each file, relative to the repository root. */
  files: { path: string; content: string }[];
}

export type ChangeState = 'open' | 'merged' | 'closed';

/** A provider-neutral view of a pull request (GitHub) or a pushed branch (git). */
export interface Change {
  branch: string;
  state: ChangeState;
  /** Pull-request URL on GitHub; the remote URL and branch for plain git. */
  url: string;
  /** Pull-request number (GitHub only). */
  number?: number;
  /** Commit at the head of the branch. */
  headSha: string;
  /** The merge commit on the base branch, once merged (GitHub) or the base commit that contains it (git). */
  mergeCommit?: string;
}

/** A commit that touched a file, newest first in listings. */
export interface FileRevision {
  sha: string;
  /** Committer date, ISO 8601: when the commit reached the branch. */
  date: string;
  /** "Name <email>" of the commit's author, when the provider reports it. */
  author?: string;
  /** First line of the commit message, when the provider reports it. */
  subject?: string;
}

export type OpenChangeResult =
  | { status: 'succeeded'; change: Change; created: boolean }
  | { status: 'skipped'; reason: 'no-diff'; change?: Change };

export interface GitProvider {
  readonly kind: 'github' | 'git';
  /** Contents of a file on the base branch (or at a commit); null when it does not exist. */
  readFile(path: string, ref?: string): Promise<string | null>;
  /** Commits on the base branch that touched `path`, newest first, optionally only those at or before `until`. */
  fileHistory(path: string, until?: Date): Promise<FileRevision[]>;
  /**
   * Idempotent: reuses an existing branch and open change for `request.branch`, never duplicates,
   * and makes no commit when the files already have the requested content.
   */
  openChange(request: ChangeRequest): Promise<OpenChangeResult>;
  /** Current state of the change on `branch`; null when no such change exists. */
  getChange(branch: string): Promise<Change | null>;
}

/** Bad input or a terminal condition: retrying cannot help (Temporal: non-retryable). */
export class GitOpsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitOpsInputError';
  }
}
