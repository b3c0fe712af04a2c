// Configuration of the GitHub provider, validated once when the provider is built so that a typo in the
// catalog or environment fails fast with a message naming the field, before any request is sent.
import { GitOpsInputError } from '../provider';
import { isValidBranchName } from './names';

export type GitHubAuth =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: number | string; privateKey: string; installationId: number };

/** Where the provider reports retries and rate limits. Messages are already stripped of credentials. */
export interface GitHubProviderLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface GitHubProviderOptions {
  owner: string;
  repo: string;
  baseBranch: string;
  /** GitHub Enterprise Server API root, e.g. https://github.example.com/api/v3. Default: api.github.com. */
  baseUrl?: string;
  auth: GitHubAuth;
  log?: GitHubProviderLog;
  /** Retries of a request answered 5xx or not answered at all (default 3; backoff 1s, 4s, 9s). */
  retries?: number;
  /** Retries of a request refused by a primary or secondary rate limit (default 2; waits as GitHub asks). */
  rateLimitRetries?: number;
  /**
   * Minimum gap between mutating requests. Default: GitHub's guidance as enforced by Octokit's throttling
   * plugin (1s between writes, 3s between pull-request creations). Tests against a local twin pass 0.
   */
  mutationSpacingMs?: number;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export function validateOptions(options: GitHubProviderOptions): void {
  const where = 'GitHub provider';
  if (!NAME.test(options.owner))
    throw new GitOpsInputError(
      `${where}: owner ${JSON.stringify(options.owner)} is not a GitHub account name`,
    );
  if (!NAME.test(options.repo))
    throw new GitOpsInputError(
      `${where}: repo ${JSON.stringify(options.repo)} is not a GitHub repository name`,
    );
  if (!isValidBranchName(options.baseBranch)) {
    throw new GitOpsInputError(
      `${where}: baseBranch ${JSON.stringify(options.baseBranch)} is not a valid branch name`,
    );
  }
  if (options.baseUrl !== undefined) validateBaseUrl(options.baseUrl);
  validateAuth(options.auth);
  for (const key of ['retries', 'rateLimitRetries', 'mutationSpacingMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new GitOpsInputError(`${where}: ${key} must be a non-negative integer, got ${String(value)}`);
    }
  }
}

function validateBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new GitOpsInputError(`GitHub provider: baseUrl ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new GitOpsInputError(`GitHub provider: baseUrl must be http(s), got ${url.protocol}`);
  }
}

// Never echo credential values: only say which field is wrong.
function validateAuth(auth: GitHubAuth): void {
  if (auth.kind === 'token') {
    if (auth.token.trim() === '') throw new GitOpsInputError('GitHub provider: auth.token is empty');
    return;
  }
  if (String(auth.appId).trim() === '') throw new GitOpsInputError('GitHub provider: auth.appId is empty');
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(auth.privateKey)) {
    throw new GitOpsInputError('GitHub provider: auth.privateKey is not a PEM private key');
  }
  if (!Number.isInteger(auth.installationId) || auth.installationId <= 0) {
    throw new GitOpsInputError('GitHub provider: auth.installationId must be a positive integer');
  }
}
