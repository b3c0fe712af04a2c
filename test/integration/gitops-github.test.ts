// The GitHub provider opening and following changes against the local GitHub twin, which checks every
// request and response against GitHub's OpenAPI description (see test/harness/github-twin).
import { GitHubUnavailableError } from '../../src/gitops/github';
import {
  BRANCH,
  MANIFEST,
  rollbackRequest,
  rollout,
  useGitHubScenario,
} from '../harness/github-twin/scenario';

const scenario = useGitHubScenario();

describe('opening a change', () => {
  test('opens a branch with one commit and a pull request carrying the evidence', async () => {
    const github = await scenario.start();
    const base = github.branchHead('main');

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({
      status: 'succeeded',
      created: true,
      change: { branch: BRANCH, state: 'open', number: 1 },
    });
    const head = github.branchHead(BRANCH);
    expect(result.status === 'succeeded' && result.change.headSha).toBe(head);
    expect(github.commit(head ?? '')?.parents).toEqual([base]);
    expect(github.readFile(BRANCH, MANIFEST)).toBe(rollout('v1'));
    expect(github.readFile('main', MANIFEST)).toBe(rollout('v2'));
    const [pull] = github.pullRequests();
    expect(pull).toMatchObject({
      head: BRANCH,
      base: 'main',
      title: 'Roll back checkout to v1',
      state: 'open',
    });
    expect(pull?.body).toContain('burn rate 1h = 18.2');
  });

  test('commits several files in one commit through the git data API', async () => {
    const github = await scenario.start();
    const files = [
      { path: MANIFEST, content: rollout('v1') },
      { path: 'apps/checkout/NOTES.md', content: 'rolled back by SafeDeploy\n' },
    ];

    await scenario.provider(github).openChange(rollbackRequest({ files }));

    expect(github.calls('git/create-commit')).toHaveLength(1);
    expect(github.calls('repos/create-or-update-file-contents')).toHaveLength(0);
    for (const file of files) expect(github.readFile(BRANCH, file.path)).toBe(file.content);
  });

  test('skips with no-diff and commits nothing when the base already has the content', async () => {
    const github = await scenario.start();

    const result = await scenario
      .provider(github)
      .openChange(rollbackRequest({ files: [{ path: MANIFEST, content: rollout('v2') }] }));

    expect(result).toEqual({ status: 'skipped', reason: 'no-diff' });
    for (const write of ['git/create-blob', 'git/create-commit', 'git/create-ref', 'pulls/create']) {
      expect(github.calls(write)).toHaveLength(0);
    }
    expect(github.branchHead(BRANCH)).toBeUndefined();
  });

  test('reuses a branch that already carries the change instead of committing again', async () => {
    const github = await scenario.start();
    github.createBranch(BRANCH);
    const pushed = github.push(BRANCH, { [MANIFEST]: rollout('v1') });

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true, change: { headSha: pushed } });
    expect(github.calls('git/create-ref')).toHaveLength(0);
    expect(github.calls('git/create-commit')).toHaveLength(0);
  });

  test('returns the open pull request of an earlier run without opening another or committing again', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    const first = await provider.openChange(rollbackRequest());

    const second = await provider.openChange(rollbackRequest());

    expect(second).toEqual({ ...first, created: false });
    expect(github.pullRequests()).toHaveLength(1);
    expect(github.calls('git/create-commit')).toHaveLength(1);
    expect(github.calls('pulls/create')).toHaveLength(1);
  });

  test('adds a commit to the open pull request when the requested content changed', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    await provider.openChange(rollbackRequest());

    const result = await provider.openChange(
      rollbackRequest({ files: [{ path: MANIFEST, content: rollout('v0') }] }),
    );

    expect(result).toMatchObject({
      status: 'succeeded',
      created: false,
      change: { number: 1, headSha: github.branchHead(BRANCH) },
    });
    expect(github.readFile(BRANCH, MANIFEST)).toBe(rollout('v0'));
    expect(github.pullRequests()).toHaveLength(1);
  });

  test('two overlapping runs converge on one branch, one commit and one pull request', async () => {
    const github = await scenario.start();
    const base = github.branchHead('main');

    const results = await Promise.all([
      scenario.provider(github).openChange(rollbackRequest()),
      scenario.provider(github).openChange(rollbackRequest()),
    ]);

    expect(results.map((result) => result.status === 'succeeded' && result.created).sort()).toEqual([
      false,
      true,
    ]);
    expect(
      github
        .calls('pulls/create')
        .map((call) => call.status)
        .sort(),
    ).toEqual([201, 422]);
    expect(github.pullRequests()).toHaveLength(1);
    expect(github.commit(github.branchHead(BRANCH) ?? '')?.parents).toEqual([base]);
  });

  test('re-reads a branch moved by a concurrent push (stale sha) and commits on top of it', async () => {
    const github = await scenario.start();
    github.createBranch(BRANCH);
    github.faults.concurrentPush(BRANCH, { 'README.md': '# env-prod (edited by a human)\n' });

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.calls('git/update-ref').map((call) => call.status)).toEqual([422, 200]);
    const head = github.branchHead(BRANCH) ?? '';
    expect(github.commit(github.commit(head)?.parents[0] ?? '')?.message).toBe('Concurrent push');
    expect(github.readFile(BRANCH, 'README.md')).toBe('# env-prod (edited by a human)\n');
    expect(github.readFile(BRANCH, MANIFEST)).toBe(rollout('v1'));
  });
});

describe('converging after a crash', () => {
  test('a run that died right after creating the branch is finished by the next run', async () => {
    const github = await scenario.start();
    const base = github.createBranch(BRANCH); // the branch exists, no commit on it yet

    const result = await scenario.provider(github).openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true });
    expect(github.commit(github.branchHead(BRANCH) ?? '')?.parents).toEqual([base]);
    expect(github.calls('git/update-ref')).toHaveLength(1);
    expect(github.pullRequests()).toHaveLength(1);
  });

  test('a run that pushed its commit but failed to open the pull request is finished without a second commit', async () => {
    const github = await scenario.start();
    github.faults.serverError('pulls/create', 1);
    const provider = scenario.provider(github, { retries: 0 });

    await expect(provider.openChange(rollbackRequest())).rejects.toBeInstanceOf(GitHubUnavailableError);
    const pushed = github.branchHead(BRANCH);
    expect(pushed).toBeDefined();
    expect(github.pullRequests()).toHaveLength(0);

    const result = await provider.openChange(rollbackRequest());

    expect(result).toMatchObject({ status: 'succeeded', created: true, change: { headSha: pushed } });
    expect(github.calls('git/create-commit')).toHaveLength(1);
    expect(github.pullRequests()).toHaveLength(1);
  });
});
