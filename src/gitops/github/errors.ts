// Octokit's RequestError carries the request (headers, URL, body) and the response headers; none of that may
// escape. Every failure is rebuilt here from status, GitHub's message and documentation URL only, scrubbed
// of credentials, and classified: a rejection retrying cannot fix (GitOpsInputError, non-retryable) or an
// outage worth retrying later.
import { GitOpsInputError } from '../provider';
import type { Secrets } from './secrets';
import { errorMessage } from '../../errors';

/** What we keep of an HTTP failure. */
export interface GitHubFailure {
  status: number | undefined;
  message: string;
  documentationUrl: string | undefined;
  rateLimited: boolean;
  /** The failing request was a GitHub App's installation-token exchange, not the operation itself. */
  tokenExchange: boolean;
}

/** GitHub refused the request for a reason retrying cannot fix: credentials, permissions, input. */
export class GitHubRejectedError extends GitOpsInputError {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
    readonly documentationUrl: string | undefined,
  ) {
    super(message);
    this.name = 'GitHubRejectedError';
  }
}

/** GitHub failed or throttled us after the client's own retries; a later attempt may succeed. */
export class GitHubUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
    readonly documentationUrl: string | undefined,
  ) {
    super(message);
    this.name = 'GitHubUnavailableError';
  }
}

const HINTS: Record<number, string> = {
  401: 'check the GitHub token or GitHub App credentials',
  403: 'the credentials lack permission on the repository (contents and pull requests: write)',
  404: 'check that the repository and branch exist and that the credentials can see them',
  422: 'GitHub rejected the request as invalid',
};
const TOKEN_EXCHANGE_HINT = 'check the GitHub App id, private key and installation id';

/** Reads a thrown Octokit error (or anything else) without keeping a reference to it. */
export function describeFailure(error: unknown): GitHubFailure {
  const status = field(error, 'status');
  const response = field(error, 'response');
  const data = field(response, 'data');
  const details = asArray(field(data, 'errors'))
    .map((item) => field(item, 'message'))
    .filter((text): text is string => typeof text === 'string');
  const dataMessage = field(data, 'message');
  const base = typeof dataMessage === 'string' ? dataMessage : errorMessage(error);
  const message = details.length > 0 ? `${base}: ${details.join('; ')}` : base;
  const remaining = field(field(response, 'headers'), 'x-ratelimit-remaining');
  const documentationUrl = field(data, 'documentation_url');
  const url = field(field(error, 'request'), 'url');
  return {
    status: typeof status === 'number' ? status : undefined,
    message,
    documentationUrl: typeof documentationUrl === 'string' ? documentationUrl : undefined,
    rateLimited:
      status === 429 || (status === 403 && (remaining === '0' || /secondary rate limit/i.test(message))),
    tokenExchange: typeof url === 'string' && /\/app\/installations\/[^/?]+\/access_tokens(\?|$)/.test(url),
  };
}

export function toGitHubError(operation: string, where: string, error: unknown, secrets: Secrets): Error {
  const failure = describeFailure(error);
  const { status } = failure;
  const hint = failure.tokenExchange
    ? TOKEN_EXCHANGE_HINT
    : status !== undefined && !failure.rateLimited
      ? HINTS[status]
      : undefined;
  const text = secrets.scrub(
    `GitHub ${operation} on ${where}${failure.tokenExchange ? ' (installation token exchange)' : ''} failed` +
      (status !== undefined ? ` with ${status}` : '') +
      `: ${failure.message}` +
      (hint !== undefined ? ` (${hint})` : ''),
  );
  const documentationUrl = failure.documentationUrl && secrets.scrub(failure.documentationUrl);
  return isRetryable(failure)
    ? new GitHubUnavailableError(operation, status, text, documentationUrl)
    : new GitHubRejectedError(operation, status, text, documentationUrl);
}

function isRetryable({ status, rateLimited }: GitHubFailure): boolean {
  return status === undefined || status >= 500 || status === 408 || rateLimited;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (Reflect.get(value, key) as unknown) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
