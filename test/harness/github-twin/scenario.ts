// A GitHub twin and a GitHub provider pointed at it, for the provider's integration tests: the environment
// repository every test starts from, a rollback change request, and jest hooks that stop each test's twin
// and fail the test if the twin saw anything GitHub's OpenAPI description does not allow.
import { inspect } from 'node:util';
import { createGitHubProvider, type GitHubProviderOptions } from '../../../src/gitops/github';
import type { ChangeRequest, GitProvider } from '../../../src/gitops/provider';
import { GitHubTwin, type GitHubTwinOptions } from '.';

export const OWNER = 'acme';
export const REPO = 'env-prod';
export const TOKEN = 'ghp_TwinTestToken0123456789abcdefABCDEF';
export const MANIFEST = 'apps/checkout/rollout.yaml';
export const BRANCH = 'safedeploy/inc-42/rollback-rollout';

export function rollout(image: string): string {
  return [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Rollout',
    'metadata: { name: checkout, namespace: shop }',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - { name: checkout, image: registry.example/checkout:${image} }`,
    '',
  ].join('\n');
}

/** main starts with the Rollout at v2. */
export const SEED = { [MANIFEST]: rollout('v2'), 'README.md': '# env-prod\n' };

export function rollbackRequest(overrides: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    branch: BRANCH,
    title: 'Roll back checkout to v1',
    body: '## Evidence\n\n- fast-burn: burn rate 1h = 18.2 > 14.4\n- last healthy revision: v1\n',
    commitMessage: 'Roll back checkout to v1 (incident inc-42)',
    files: [{ path: MANIFEST, content: rollout('v1') }],
    ...overrides,
  };
}

/** Everything an operator could see of an error: message, stack, own fields. */
export function visible(error: unknown): string {
  const stack = error instanceof Error ? error.stack : '';
  return `${String(error)}\n${stack}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

export interface GitHubScenario {
  /** Starts this test's twin (token auth with TOKEN, main seeded with SEED unless overridden). */
  start(options?: Partial<GitHubTwinOptions>): Promise<GitHubTwin>;
  /** A provider for the twin; its log lines land in `logs`. No write pacing: the twin needs none. */
  provider(github: GitHubTwin, overrides?: Partial<GitHubProviderOptions>): GitProvider;
  /** This test's provider log, as `info: ...` / `warn: ...` lines. */
  readonly logs: string[];
}

/** Call at the top of a test file: registers the hooks that reset logs and stop and check each twin. */
export function useGitHubScenario(): GitHubScenario {
  let twin: GitHubTwin | undefined;
  const logs: string[] = [];
  beforeEach(() => {
    logs.length = 0;
  });
  afterEach(async () => {
    const github = twin;
    twin = undefined;
    if (github === undefined) return;
    await github.stop();
    expect(github.violations).toEqual([]);
  });
  return {
    logs,
    async start(options = {}) {
      twin = await GitHubTwin.start({ owner: OWNER, repo: REPO, files: SEED, token: TOKEN, ...options });
      return twin;
    },
    provider(github, overrides = {}) {
      return createGitHubProvider({
        owner: OWNER,
        repo: REPO,
        baseBranch: 'main',
        baseUrl: github.url,
        auth: { kind: 'token', token: TOKEN },
        log: {
          info: (message) => logs.push(`info: ${message}`),
          warn: (message) => logs.push(`warn: ${message}`),
        },
        mutationSpacingMs: 0,
        ...overrides,
      });
    },
  };
}
