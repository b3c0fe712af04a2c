// The GitHub provider when GitHub fails, throttles or is given bad input: what is retried, what is not,
// and what the caller is told.
import { GitOpsInputError, type ChangeRequest } from '../../src/gitops/provider';
import {
  GitHubRejectedError,
  GitHubUnavailableError,
  type GitHubProviderOptions,
} from '../../src/gitops/github';
import { MANIFEST, rollbackRequest, useGitHubScenario } from '../harness/github-twin/scenario';

const scenario = useGitHubScenario();

describe('GitHub failures', () => {
  test('retries a 5xx answer and creates the pull request once', async () => {
    const github = await scenario.start();
    github.faults.serverError('pulls/create', 1, 502);

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.calls('pulls/create').map((call) => call.status)).toEqual([502, 201]);
    expect(github.pullRequests()).toHaveLength(1);
  });

  test('gives up on a persistent 5xx with a retryable error', async () => {
    const github = await scenario.start();
    github.faults.serverError('repos/get-content', 2, 503);

    const error: unknown = await scenario
      .provider(github, { retries: 1 })
      .readFile(MANIFEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).not.toBeInstanceOf(GitOpsInputError);
    expect(error).toMatchObject({ status: 503, operation: 'repos.getContent' });
  });

  test.each([403, 429] as const)('waits out a primary rate limit (%i) and retries', async (status) => {
    const github = await scenario.start();
    github.faults.rateLimit('git/get-ref', 1, { status, resetInSeconds: 0 });

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.calls('git/get-ref')[0]?.status).toBe(status);
    expect(
      scenario.logs.some((line) => /warn: GitHub primary rate limit on GET .*retrying in 1s/.test(line)),
    ).toBe(true);
  });

  test('waits out a secondary rate limit as long as retry-after asks', async () => {
    const github = await scenario.start();
    github.faults.secondaryRateLimit('pulls/create', 1, 1);
    const started = Date.now();

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(github.calls('pulls/create').map((call) => call.status)).toEqual([403, 201]);
    expect(
      scenario.logs.some((line) => /warn: GitHub secondary rate limit on POST .*retrying in 1s/.test(line)),
    ).toBe(true);
  });

  test('a rate limit that outlasts the retries is a retryable error', async () => {
    const github = await scenario.start();
    github.faults.secondaryRateLimit('git/get-ref', 1, 60);

    const error: unknown = await scenario
      .provider(github, { rateLimitRetries: 0 })
      .openChange(rollbackRequest())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error).toMatchObject({ status: 403 });
    expect(scenario.logs.some((line) => line.includes('giving up after 0 retries'))).toBe(true);
  });

  test('bad credentials are a non-retryable error that says what to check', async () => {
    const github = await scenario.start();

    const error: unknown = await scenario
      .provider(github, { auth: { kind: 'token', token: 'ghp_wrong' } })
      .readFile(MANIFEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubRejectedError);
    expect(error).toBeInstanceOf(GitOpsInputError);
    expect(error).toMatchObject({ status: 401, documentationUrl: 'https://docs.github.com/rest' });
    expect(String(error)).toMatch(/Bad credentials .*check the GitHub token/);
  });

  test('a repository the credentials cannot see is a non-retryable error, not a missing file', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github, { repo: 'env-staging' });

    await expect(provider.readFile(MANIFEST)).rejects.toThrow(
      /acme\/env-staging or its base branch main was not found/,
    );
    await expect(provider.openChange(rollbackRequest())).rejects.toMatchObject({
      name: 'GitHubRejectedError',
      status: 404,
    });
  });
});

describe('bad input', () => {
  test.each<[string, Partial<ChangeRequest>]>([
    ['a branch name with a space', { branch: 'safedeploy/inc 42' }],
    ['a branch name with ..', { branch: 'safedeploy/../main' }],
    ['the base branch as the change branch', { branch: 'main' }],
    ['an empty title', { title: '  ' }],
    ['no files', { files: [] }],
    ['a path escaping the repository', { files: [{ path: '../secrets.yaml', content: 'x' }] }],
    ['an absolute path', { files: [{ path: '/etc/passwd', content: 'x' }] }],
    [
      'the same path twice',
      {
        files: [
          { path: MANIFEST, content: 'a' },
          { path: MANIFEST, content: 'b' },
        ],
      },
    ],
  ])('rejects %s before calling GitHub', async (_case, overrides) => {
    const github = await scenario.start();

    await expect(scenario.provider(github).openChange(rollbackRequest(overrides))).rejects.toBeInstanceOf(
      GitOpsInputError,
    );
    expect(github.requests).toHaveLength(0);
  });

  test.each<[string, Partial<GitHubProviderOptions>]>([
    ['an owner with a slash', { owner: 'acme/x' }],
    ['an empty token', { auth: { kind: 'token', token: '' } }],
    [
      'a private key that is not PEM',
      { auth: { kind: 'app', appId: 1, privateKey: 'nope', installationId: 1 } },
    ],
    ['a baseUrl that is not a URL', { baseUrl: 'github.example.com/api/v3' }],
  ])('refuses to build a provider with %s', async (_case, overrides) => {
    const github = await scenario.start();

    expect(() => scenario.provider(github, overrides)).toThrow(GitOpsInputError);
  });
});
