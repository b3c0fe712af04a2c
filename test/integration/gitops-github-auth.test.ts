// The GitHub provider's credentials: token and GitHub App auth, GitHub Enterprise Server, and the promise
// that no credential reaches a log line, an error or a pull request.
import { generateKeyPairSync } from 'node:crypto';
import { GitHubRejectedError } from '../../src/gitops/github';
import {
  MANIFEST,
  rollbackRequest,
  TOKEN,
  useGitHubScenario,
  visible,
} from '../harness/github-twin/scenario';

const scenario = useGitHubScenario();

describe('deployment variants', () => {
  test('talks to GitHub Enterprise Server under its /api/v3 path prefix', async () => {
    const github = await scenario.start({ pathPrefix: '/api/v3' });
    expect(github.url).toMatch(/\/api\/v3$/);

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.requests.length).toBeGreaterThan(5);
    expect(github.requests.every((request) => request.path.startsWith('/api/v3/repos/acme/env-prod/'))).toBe(
      true,
    );
  });

  test('authenticates as a GitHub App by exchanging a signed JWT for an installation token', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const github = await scenario.start({
      token: undefined,
      app: { appId: 4242, publicKey: keys.publicKey, installationId: 77 },
    });

    const result = await scenario
      .provider(github, {
        auth: { kind: 'app', appId: 4242, privateKey, installationId: 77 },
      })
      .openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.calls('apps/create-installation-access-token').map((call) => call.status)).toEqual([201]);
    expect(github.issuedTokens).toHaveLength(1);
  });

  test('an App key GitHub does not know is a non-retryable error', async () => {
    const github = await scenario.start({
      token: undefined,
      app: {
        appId: 4242,
        publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
        installationId: 77,
      },
    });
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();

    const error: unknown = await scenario
      .provider(github, {
        auth: { kind: 'app', appId: 4242, privateKey: otherKey, installationId: 77 },
      })
      .readFile(MANIFEST)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GitHubRejectedError);
    expect(error).toMatchObject({ status: 401 });
  });
});

describe('secrets', () => {
  test('the token never appears in logs, errors or the pull request, even when a caller pastes it', async () => {
    const github = await scenario.start();
    github.faults.secondaryRateLimit('pulls/create', 1, 1);
    github.faults.serverError('git/get-ref', 1);
    const careless = rollbackRequest({
      title: `Rollback ${TOKEN}`,
      body: `evidence\nAuthorization: token ${TOKEN}\n`,
      commitMessage: `use ${TOKEN}`,
    });

    const result = await scenario.provider(github).openChange(careless);
    const rejected = await scenario
      .provider(github, { auth: { kind: 'token', token: `${TOKEN}-revoked` } })
      .readFile(MANIFEST)
      .catch((e: unknown) => e);

    const seen = [
      scenario.logs.join('\n'),
      JSON.stringify(result),
      visible(rejected),
      JSON.stringify(github.pullRequests()),
      JSON.stringify(github.requests.map((r) => r.body)),
    ].join('\n');
    expect(seen).not.toContain(TOKEN);
    expect(github.pullRequests()[0]?.body).toMatch(/^evidence\nAuthorization: .*\[REDACTED\]/);
    expect(scenario.logs.length).toBeGreaterThan(0);
  });

  test('the App private key and installation tokens never appear in logs, errors or the pull request', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const keyLines = privateKey.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
    const github = await scenario.start({
      token: undefined,
      app: { appId: 4242, publicKey: keys.publicKey, installationId: 77 },
    });
    github.faults.rateLimit('pulls/list', 1);
    const app = { kind: 'app' as const, appId: 4242, privateKey, installationId: 77 };

    const result = await scenario
      .provider(github, { auth: app })
      .openChange(rollbackRequest({ body: `key:\n${privateKey}` }));
    const rejected = await scenario
      .provider(github, { auth: { ...app, installationId: 78 } })
      .readFile(MANIFEST)
      .catch((e: unknown) => e);

    expect(rejected).toMatchObject({ name: 'GitHubRejectedError', status: 404 });
    expect(String(rejected)).toMatch(
      /installation token exchange.*check the GitHub App id, private key and installation id/,
    );
    const seen = [
      scenario.logs.join('\n'),
      JSON.stringify(result),
      visible(rejected),
      JSON.stringify(github.pullRequests()),
    ].join('\n');
    for (const secret of [privateKey, ...keyLines, ...github.issuedTokens])
      expect(seen).not.toContain(secret);
  });
});
