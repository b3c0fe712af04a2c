// Rollback target choice and the proposal steps, end to end against a real bare repository whose
// rollout.yaml has a known history.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changeBranch } from '../../src/gitops/branch';
import { rolloutImages, setPaused } from '../../src/gitops/manifest';
import { changeTitle, renderChangeBody } from '../../src/gitops/pr-body';
import { GitOpsInputError } from '../../src/gitops/provider';
import { findRollbackTarget } from '../../src/gitops/rollback-target';
import { proposePause, proposeRollback, type PauseInput, type RollbackInput } from '../../src/gitops/steps';
import {
  commitsAhead,
  deleteRemoteBranch,
  git,
  mergeAsReviewer,
  seedHistory,
  showFile,
} from '../harness/git';
import { useSeededEnvRepo, type EnvRepoCopy } from '../harness/seeded-env-repo';

const MANIFEST = 'apps/checkout/rollout.yaml';
const ROLLOUT = { name: 'checkout', namespace: 'shop' };
const EXAMPLE = readFileSync(join(__dirname, '../../examples/env-repo', MANIFEST), 'utf8');

/** The example Rollout at release `version` (both images), optionally with other replicas. */
function rolloutAt(version: string, replicas = 6): string {
  return EXAMPLE.replace(/:1\.8\.2'/g, `:${version}'`).replace('replicas: 6', `replicas: ${replicas}`);
}

// Known history of the manifest on main (committer dates):
const HISTORY = [
  { date: '2026-01-01T10:00:00Z', version: '1.8.0', replicas: 6 },
  { date: '2026-01-02T10:00:00Z', version: '1.8.1', replicas: 6 },
  { date: '2026-01-03T10:00:00Z', version: '1.8.1', replicas: 8 }, // scaled, same images
  { date: '2026-01-04T10:00:00Z', version: '1.9.0', replicas: 8 }, // the bad release
];

type World = EnvRepoCopy;

const makeWorld = useSeededEnvRepo('gitops-steps', [
  ...HISTORY.map(({ date, version, replicas }) => ({
    files: { [MANIFEST]: rolloutAt(version, replicas) },
    message: `checkout ${version} x${replicas}`,
    date,
  })),
  { files: { 'README.md': 'env\n' }, message: 'docs', date: '2026-01-04T11:00:00Z' },
]);

describe('findRollbackTarget', () => {
  let world: World;
  beforeAll(() => (world = makeWorld()));
  afterAll(() => world.cleanup());

  it.each([
    ['the revision just before the bad release', '2026-01-04T09:00:00Z', 2, '1.8.1'],
    ['a revision committed exactly at lastHealthy', '2026-01-02T10:00:00Z', 1, '1.8.1'],
    ['the older revision a millisecond earlier', '2026-01-02T09:59:59.999Z', 0, '1.8.0'],
  ])('chooses %s', async (_case, lastHealthy, index, version) => {
    const target = await findRollbackTarget(world.provider, MANIFEST, new Date(lastHealthy), ROLLOUT);

    expect(target.status).toBe('found');
    if (target.status !== 'found') return;
    expect(target.revision.sha).toBe(world.shas[index]);
    expect(target.images.target.map((i) => i.image)).toEqual([
      `registry.example.com/shop/checkout-migrate:${version}`,
      `registry.example.com/shop/checkout:${version}`,
    ]);
    expect(target.images.current.map((i) => i.image.split(':')[1])).toEqual(['1.9.0', '1.9.0']);
  });

  it('finds nothing to roll back when the base already runs the last healthy images', async () => {
    const target = await findRollbackTarget(
      world.provider,
      MANIFEST,
      new Date('2026-01-05T00:00:00Z'),
      ROLLOUT,
    );
    expect(target).toMatchObject({ status: 'nothing-to-roll-back', revision: { sha: world.shas[3] } });
  });

  it('fails clearly when no revision is as old as lastHealthy', async () => {
    await expect(
      findRollbackTarget(world.provider, MANIFEST, new Date('2025-12-31T00:00:00Z'), ROLLOUT),
    ).rejects.toThrow(
      /apps\/checkout\/rollout.yaml: no revision on the base branch at or before 2025-12-31T00:00:00.000Z/,
    );
  });

  it('follows the base branch as merged: a feature commit written before lastHealthy but merged after is not chosen', async () => {
    const local = makeWorld();
    try {
      seedHistory(
        local.url,
        [{ files: { [MANIFEST]: rolloutAt('2.0.0', 8) }, message: 'feature', date: '2026-01-04T12:00:00Z' }],
        'feature',
        'origin/main',
      );
      mergeAsReviewer(local.url, 'feature', { date: '2026-01-06T10:00:00Z' });

      const target = await findRollbackTarget(
        local.provider,
        MANIFEST,
        new Date('2026-01-05T00:00:00Z'),
        ROLLOUT,
      );

      expect(target).toMatchObject({ status: 'found', revision: { sha: local.shas[3] } });
    } finally {
      local.cleanup();
    }
  });
});

describe('proposeRollback', () => {
  let world: World;
  beforeEach(() => (world = makeWorld()));
  afterEach(() => world.cleanup());

  const input = (overrides: Partial<RollbackInput> = {}): RollbackInput => {
    const evidence = {
      incidentId: 'inc-42',
      service: 'checkout',
      proposalType: 'rollback-rollout' as const,
      severity: 'fast-burn',
      slos: [],
      approval: { approver: 'alice', reason: '5xx after 1.9.0' },
    };
    return {
      provider: world.provider,
      manifestPath: MANIFEST,
      rollout: ROLLOUT,
      lastHealthy: new Date('2026-01-04T09:00:00Z'),
      branch: changeBranch('inc-42', 'rollback-rollout'),
      title: changeTitle(evidence),
      body: renderChangeBody(evidence),
      ...overrides,
    };
  };

  it('opens one change restoring only the images, then reuses it on a re-run', async () => {
    const first = await proposeRollback(input());
    const again = await proposeRollback(input());

    expect(first).toMatchObject({
      status: 'succeeded',
      created: true,
      change: { state: 'open', branch: 'safedeploy/inc-42/rollback-rollout' },
    });
    expect(again).toEqual({ ...first, created: false });
    expect(commitsAhead(world.bare, 'safedeploy/inc-42/rollback-rollout')).toHaveLength(1);
    const proposed = showFile(world.bare, 'safedeploy/inc-42/rollback-rollout', MANIFEST);
    expect(proposed).toBe(rolloutAt('1.9.0', 8).replace(/:1\.9\.0'/g, ":1.8.1'"));
    expect(git(world.bare, ['log', '-1', '--format=%B', 'safedeploy/inc-42/rollback-rollout'])).toContain(
      'SafeDeploy never merges its own changes',
    );
  });

  it('is done once a reviewer merged it, and a later incident finds nothing to roll back', async () => {
    await proposeRollback(input());
    mergeAsReviewer(world.url, 'safedeploy/inc-42/rollback-rollout');

    expect(await proposeRollback(input())).toMatchObject({
      status: 'skipped',
      reason: 'already-merged',
      change: { state: 'merged' },
    });
    const later = await proposeRollback(input({ branch: changeBranch('inc-43', 'rollback-rollout') }));
    expect(later).toMatchObject({ status: 'skipped', reason: 'nothing-to-roll-back' });
  });

  it('fails terminally, without pushing, when the template changed in more than images', async () => {
    seedHistory(world.url, [
      {
        files: {
          [MANIFEST]: rolloutAt('1.9.0', 8).replace('payments.shop.svc:8080', 'payments-v2.shop.svc:8080'),
        },
        message: 'env',
        date: '2026-01-04T12:00:00Z',
      },
    ]);

    const result = await proposeRollback(input());

    expect(result).toMatchObject({ status: 'failed', reason: 'not-image-only' });
    expect(result.status === 'failed' && result.message).toMatch(
      /spec\.template\.spec\.containers\[0\]\.env\[0\]\.value/,
    );
    expect(git(world.bare, ['branch', '--list', 'safedeploy/*'])).toBe('');
  });

  it('fails terminally when the manifest has no such Rollout', async () => {
    const result = await proposeRollback(input({ rollout: { name: 'payments', namespace: 'shop' } }));
    expect(result).toMatchObject({ status: 'failed', reason: 'rollout-not-found' });
  });

  it('fails terminally when no revision is old enough', async () => {
    const result = await proposeRollback(input({ lastHealthy: new Date('2025-01-01T00:00:00Z') }));
    expect(result).toMatchObject({ status: 'failed', reason: 'no-healthy-revision' });
  });

  it.each([
    ['an invalid branch', { branch: 'no spaces allowed' }],
    ['an invalid date', { lastHealthy: new Date('not a date') }],
    ['an empty title', { title: ' ' }],
  ])('throws GitOpsInputError for %s, before touching the remote', async (_case, overrides) => {
    await expect(proposeRollback(input(overrides))).rejects.toBeInstanceOf(GitOpsInputError);
  });
});

describe('proposePause', () => {
  let world: World;
  beforeEach(() => (world = makeWorld()));
  afterEach(() => world.cleanup());

  const input = (paused: boolean, overrides: Partial<PauseInput> = {}): PauseInput => ({
    provider: world.provider,
    manifestPath: MANIFEST,
    rollout: ROLLOUT,
    paused,
    branch: changeBranch('inc-7', paused ? 'block-promotion' : 'promote-canary'),
    title: paused ? 'Block promotion of checkout' : 'Promote checkout canary',
    body: 'evidence',
    ...overrides,
  });

  it('blocks promotion with a one-line change, once', async () => {
    const first = await proposePause(input(true));
    const again = await proposePause(input(true));

    expect(first).toMatchObject({ status: 'succeeded', created: true });
    expect(again).toMatchObject({ status: 'succeeded', created: false });
    const proposed = showFile(world.bare, 'safedeploy/inc-7/block-promotion', MANIFEST);
    expect(proposed).toBe(setPaused(rolloutAt('1.9.0', 8), ROLLOUT, true));
    expect(proposed.split('\n').length - rolloutAt('1.9.0', 8).split('\n').length).toBe(1);
    expect(rolloutImages(proposed, ROLLOUT)).toEqual(rolloutImages(rolloutAt('1.9.0', 8), ROLLOUT));
  });

  it('is done while a merged block is in force, and blocks again once a promotion undid it', async () => {
    await proposePause(input(true));
    mergeAsReviewer(world.url, 'safedeploy/inc-7/block-promotion');
    expect(await proposePause(input(true))).toMatchObject({ status: 'skipped', reason: 'already-merged' });

    seedHistory(world.url, [
      { files: { [MANIFEST]: rolloutAt('1.9.0', 8) }, message: 'promote', date: '2026-01-05T10:00:00Z' },
    ]);
    const again = await proposePause(input(true));

    expect(again).toMatchObject({ status: 'succeeded', change: { state: 'open' } });
    expect(showFile(world.bare, 'safedeploy/inc-7/block-promotion', MANIFEST)).toBe(
      setPaused(rolloutAt('1.9.0', 8), ROLLOUT, true),
    );
  });

  it('skips promotion with no-diff when the Rollout is not paused', async () => {
    expect(await proposePause(input(false))).toMatchObject({ status: 'skipped', reason: 'no-diff' });
    expect(git(world.bare, ['branch', '--list', 'safedeploy/*'])).toBe('');
  });

  it('does not reopen a change a human closed', async () => {
    await proposePause(input(true));
    deleteRemoteBranch(world.bare, 'safedeploy/inc-7/block-promotion');

    expect(await proposePause(input(true))).toMatchObject({
      status: 'failed',
      reason: 'change-closed',
      change: { state: 'closed' },
    });
    expect(git(world.bare, ['branch', '--list', 'safedeploy/*'])).toBe('');
  });

  it('fails terminally when the manifest is missing on the base branch', async () => {
    expect(await proposePause(input(true, { manifestPath: 'apps/gone/rollout.yaml' }))).toMatchObject({
      status: 'failed',
      reason: 'manifest-missing',
    });
  });
});
