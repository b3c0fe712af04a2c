// The GitHub twin itself: it must serve what the extract of GitHub's OpenAPI description lists and flag
// whatever departs from it, or the provider tests prove nothing.
import { findOperation, loadDescription } from '../harness/github-twin/description';
import { OpenApiValidator } from '../harness/github-twin/validator';
import { SERVED_OPERATIONS } from '../harness/github-twin/server';
import { GitHubTwin } from '../harness/github-twin';

const TOKEN = 'ghp_TwinSelfTestToken0123456789abcdef';
const document = loadDescription();
const validator = new OpenApiValidator(document);

let twin: GitHubTwin | undefined;

async function startTwin(): Promise<GitHubTwin> {
  twin = await GitHubTwin.start({
    owner: 'acme',
    repo: 'env-prod',
    files: { 'README.md': 'hello\n' },
    token: TOKEN,
  });
  return twin;
}

function send(
  github: GitHubTwin,
  method: string,
  path: string,
  body?: unknown,
  token = TOKEN,
): Promise<Response> {
  return fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

afterEach(async () => {
  await twin?.stop();
  twin = undefined;
});

describe('the OpenAPI extract', () => {
  test('records the @octokit/openapi release it was cut from', () => {
    expect(document['x-source']).toMatchObject({
      package: expect.stringMatching(/^@octokit\/openapi@23\./) as unknown,
      file: 'generated/api.github.com.json',
    });
  });

  test('lists exactly the operations the twin serves', () => {
    expect([...SERVED_OPERATIONS].sort()).toEqual([...document['x-source'].operations].sort());
  });
});

describe('validating against the description', () => {
  const commit = {
    sha: 'a'.repeat(40),
    node_id: 'C_1',
    url: 'http://127.0.0.1/repos/acme/env-prod/git/commits/a',
    html_url: 'http://127.0.0.1/acme/env-prod/commit/a',
    author: { name: 'a', email: 'a@example.invalid', date: '2026-01-01T00:00:00Z' },
    committer: { name: 'a', email: 'a@example.invalid', date: '2026-01-01T00:00:00Z' },
    message: 'm',
    tree: { sha: 'b'.repeat(40), url: 'http://127.0.0.1/repos/acme/env-prod/git/trees/b' },
    parents: [],
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };

  test.each<[string, string, number, unknown, RegExp | null]>([
    ['accepts null where the description says nullable', 'git/get-commit', 200, commit, null],
    [
      'rejects null where the description does not allow it',
      'git/get-commit',
      200,
      { ...commit, message: null },
      /message must be string/,
    ],
    [
      'rejects a response missing a required field',
      'git/get-commit',
      200,
      { ...commit, tree: undefined },
      /must have required property 'tree'/,
    ],
    [
      'rejects a date-time that is not one',
      'git/get-commit',
      200,
      { ...commit, author: { ...commit.author, date: 'yesterday' } },
      /must match format "date-time"/,
    ],
    [
      'rejects a status the operation does not document',
      'git/get-commit',
      201,
      commit,
      /status 201 is not a documented response/,
    ],
  ])('%s', (_case, operationId, status, body, expected) => {
    const problems = validator.validateResponse(
      findOperation(document, operationId),
      status,
      JSON.parse(JSON.stringify(body)),
    );

    if (expected === null) expect(problems).toEqual([]);
    else expect(problems.join('\n')).toMatch(expected);
  });
});

describe('the twin server', () => {
  test('answers 500 and records a violation for a request body the description forbids', async () => {
    const github = await startTwin();

    const response = await send(github, 'POST', '/repos/acme/env-prod/git/refs', { ref: 'refs/heads/x' });

    expect(response.status).toBe(500);
    expect(github.violations).toEqual([
      expect.objectContaining({
        operationId: 'git/create-ref',
        stage: 'request',
        problems: [expect.stringMatching(/must have required property 'sha'/)],
      }),
    ]);
  });

  test('records a violation for a query parameter the description does not document', async () => {
    const github = await startTwin();

    const response = await send(github, 'GET', '/repos/acme/env-prod/pulls?state=all&colour=blue');

    expect(response.status).toBe(500);
    expect(github.violations[0]).toMatchObject({ operationId: 'pulls/list', stage: 'request' });
  });

  test('records a violation for an endpoint it does not serve', async () => {
    const github = await startTwin();

    const response = await send(github, 'GET', '/repos/acme/env-prod/branches');

    expect(response.status).toBe(500);
    expect(github.violations[0]).toMatchObject({ stage: 'route', operationId: undefined });
  });

  test('answers an unknown token 401 like GitHub, which is not a violation', async () => {
    const github = await startTwin();

    const response = await send(
      github,
      'GET',
      '/repos/acme/env-prod/git/ref/heads/main',
      undefined,
      'ghp_unknown',
    );

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Bad credentials' });
    expect(github.violations).toEqual([]);
  });

  test('serves a ref whose name contains slashes, encoded or not', async () => {
    const github = await startTwin();
    github.createBranch('safedeploy/inc-1/rollback-rollout');

    const encoded = await send(
      github,
      'GET',
      '/repos/acme/env-prod/git/ref/heads%2Fsafedeploy%2Finc-1%2Frollback-rollout',
    );
    const plain = await send(
      github,
      'GET',
      '/repos/acme/env-prod/git/ref/heads/safedeploy/inc-1/rollback-rollout',
    );

    expect([encoded.status, plain.status]).toEqual([200, 200]);
    expect(await plain.json()).toMatchObject({
      ref: 'refs/heads/safedeploy/inc-1/rollback-rollout',
      object: { sha: github.branchHead('main') },
    });
    expect(github.violations).toEqual([]);
  });
});
