// Builds the Octokit client: REST + retry (5xx, network) + throttling (primary and secondary rate limits),
// token or GitHub App auth, GitHub Enterprise base URL. Octokit is ESM-only and this project compiles to
// CommonJS, so it is loaded with import(); only types are imported statically.
import Bottleneck from 'bottleneck';
import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import type { GitHubAuth, GitHubProviderLog, GitHubProviderOptions } from './options';
import type { Secrets } from './secrets';

export type GitHubClient = Octokit;

const DEFAULT_RETRIES = 3;
const DEFAULT_RATE_LIMIT_RETRIES = 2;

export async function createGitHubClient(
  options: GitHubProviderOptions,
  secrets: Secrets,
): Promise<GitHubClient> {
  const [{ Octokit }, { retry }, { throttling }, auth] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
    authOptions(options.auth),
  ]);
  const log = scrubbedLog(options.log, secrets);
  const Client = Octokit.plugin(retry, throttling);
  const client = new Client({
    ...auth,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    userAgent: 'safedeploy',
    log,
    // Rate limits (429 included) are the throttling plugin's: it waits as GitHub says, not by backoff.
    retry: {
      retries: options.retries ?? DEFAULT_RETRIES,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: throttleOptions(options, log),
  });
  // Both plugins count retries on `options.request`, an object Octokit shares between all requests of a
  // client: without a copy per request, one failure (even a 404) lengthens every later backoff.
  client.hook.before('request', (request) => {
    request.request = { ...request.request, retryCount: 0 };
  });
  // An App's installation tokens are credentials too: learn them as GitHub issues them.
  client.hook.after('request', (response, request) => {
    if (!request.url.endsWith('/access_tokens')) return;
    const token: unknown =
      typeof response.data === 'object' && response.data !== null
        ? Reflect.get(response.data, 'token')
        : undefined;
    if (typeof token === 'string') secrets.add(token);
  });
  return client;
}

async function authOptions(auth: GitHubAuth): Promise<{ auth: unknown; authStrategy?: unknown }> {
  if (auth.kind === 'token') return { auth: auth.token };
  const { createAppAuth } = await import('@octokit/auth-app');
  // The strategy exchanges a short-lived App JWT for an installation token and caches it until expiry.
  return {
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
  };
}

type LimitHandler = (
  retryAfter: number,
  request: { method: string; url: string },
  client: unknown,
  retryCount: number,
) => boolean;

function throttleOptions(options: GitHubProviderOptions, log: OctokitLog) {
  const limit = options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const handler =
    (kind: string): LimitHandler =>
    (retryAfter, request, _client, retryCount) => {
      const retrying = retryCount < limit;
      log.warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
          (retrying
            ? `retrying in ${retryAfter}s (retry ${retryCount + 1} of ${limit})`
            : `giving up after ${limit} retries`),
      );
      return retrying;
    };
  const spacing = options.mutationSpacingMs;
  return {
    onRateLimit: handler('primary'),
    onSecondaryRateLimit: handler('secondary'),
    ...(spacing !== undefined
      ? {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
        }
      : {}),
  };
}

interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Octokit and its plugins log with extra arguments (errors, request options); only the text is kept.
 * Octokit logs every failed request as an error, including the 404s the provider expects (a branch not
 * created yet): real failures reach the caller as thrown errors, so those lines are info.
 */
function scrubbedLog(log: GitHubProviderLog | undefined, secrets: Secrets): OctokitLog {
  const sink = log ?? { info: () => undefined, warn: (message: string) => console.warn(message) };
  return {
    debug: () => undefined,
    info: (message: string) => sink.info(secrets.scrub(String(message))),
    warn: (message: string) => sink.warn(secrets.scrub(String(message))),
    error: (message: string) => sink.info(secrets.scrub(String(message))),
  };
}
