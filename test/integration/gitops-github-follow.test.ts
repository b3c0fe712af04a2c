// The GitHub provider following its changes (merged, closed) and reading the environment repository
// (files and their history) against the local GitHub twin.
import { GitOpsInputError } from '../../src/gitops/provider';
import {
  BRANCH,
  MANIFEST,
  rollbackRequest,
  rollout,
  useGitHubScenario,
} from '../harness/github-twin/scenario';

const scenario = useGitHubScenario();

describe('following a change', () => {
  test('reports a merged pull request with its merge commit, and skips reopening it', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    await provider.openChange(rollbackRequest());
    const mergeCommit = github.mergePullRequest(1);

    const change = await provider.getChange(BRANCH);
    const again = await provider.openChange(rollbackRequest());

    expect(change).toMatchObject({ state: 'merged', mergeCommit, number: 1 });
    expect(github.branchHead('main')).toBe(mergeCommit);
    expect(again).toEqual({ status: 'skipped', reason: 'no-diff', change });
    expect(await provider.readFile(MANIFEST)).toBe(rollout('v1'));
  });

  test('reports a pull request closed without merging, and refuses to reopen it as non-retryable', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    await provider.openChange(rollbackRequest());
    github.closePullRequest(1);

    const change = await provider.getChange(BRANCH);

    expect(change).toMatchObject({ state: 'closed', number: 1 });
    expect(change?.mergeCommit).toBeUndefined();
    await expect(provider.openChange(rollbackRequest())).rejects.toThrow(/#1 .* was closed without merging/);
    await expect(provider.openChange(rollbackRequest())).rejects.toBeInstanceOf(GitOpsInputError);
    expect(github.pullRequests()).toHaveLength(1);
  });

  test('reports no change for a branch that never had a pull request', async () => {
    const github = await scenario.start();

    expect(await scenario.provider(github).getChange('safedeploy/inc-7/block-promotion')).toBeNull();
  });
});

describe('reading the environment repository', () => {
  test('reads a file on the base branch or at a ref, and null for a missing file', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    await provider.openChange(rollbackRequest());

    expect(await provider.readFile(MANIFEST)).toBe(rollout('v2'));
    expect(await provider.readFile(MANIFEST, BRANCH)).toBe(rollout('v1'));
    expect(await provider.readFile('apps/missing.yaml')).toBeNull();
    await expect(provider.readFile(MANIFEST, 'no-such-branch')).rejects.toBeInstanceOf(GitOpsInputError);
  });

  test('lists the commits that touched a file, newest first, at or before a time', async () => {
    const github = await scenario.start();
    // Back-dated pushes (past, never future); the initial commit carries the twin's start time.
    const start = Date.now() - 3 * 3_600_000;
    const initial = github.branchHead('main');
    const v3 = github.push('main', { [MANIFEST]: rollout('v3') }, { date: new Date(start + 3_600_000) });
    github.push('main', { 'README.md': 'unrelated\n' }, { date: new Date(start + 5_400_000) });
    const v4 = github.push(
      'main',
      { [MANIFEST]: rollout('v4') },
      { date: new Date(start + 7_200_000), message: 'checkout v4\n\nthe body' },
    );
    const provider = scenario.provider(github);

    const all = await provider.fileHistory(MANIFEST);
    const beforeV4 = await provider.fileHistory(MANIFEST, new Date(start + 6_000_000));

    expect(all.map((revision) => revision.sha)).toEqual([v4, v3, initial]);
    expect(beforeV4.map((revision) => revision.sha)).toEqual([v3]);
    expect(all[0]).toEqual({
      sha: v4,
      date: new Date(start + 7_200_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      author: 'Twin Tester <tester@example.invalid>',
      subject: 'checkout v4',
    });
  });

  test("lists a history longer than one page by following GitHub's pagination links", async () => {
    const github = await scenario.start();
    const pushed = Array.from({ length: 120 }, (_, index) =>
      github.push('main', { [MANIFEST]: rollout(`v${index + 3}`) }),
    );

    const history = await scenario.provider(github).fileHistory(MANIFEST);

    expect(history).toHaveLength(121);
    expect(history[0]?.sha).toBe(pushed[119]);
    expect(github.calls('repos/list-commits').map((call) => call.query['page'] ?? '1')).toEqual(['1', '2']);
  });

  test('file history follows a merged pull request to the commit that changed the file', async () => {
    const github = await scenario.start();
    const provider = scenario.provider(github);
    const opened = await provider.openChange(rollbackRequest());
    github.mergePullRequest(1);

    const [latest] = await provider.fileHistory(MANIFEST);

    expect(latest?.sha).toBe(opened.status === 'succeeded' ? opened.change.headSha : undefined);
  });
});
