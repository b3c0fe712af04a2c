// The git provider against real bare repositories: branches, commits, pushes, merges by a reviewer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createGitProvider, SAFEDEPLOY_IDENTITY } from '../../src/gitops/git/provider';
import { GitOpsInputError, type ChangeRequest } from '../../src/gitops/provider';
import {
  commitsAhead,
  deleteRemoteBranch,
  git,
  mergeAsReviewer,
  remoteBranches,
  revParse,
  seedHistory,
  setRemoteBranch,
  showFile,
} from '../harness/git';
import { useSeededEnvRepo, type EnvRepoCopy } from '../harness/seeded-env-repo';

const MANIFEST = 'apps/checkout/rollout.yaml';
const BRANCH = 'safedeploy/inc-1/block-promotion';

/** A test's own copy of the seeded repository; `base` is its one seeded commit. */
type World = EnvRepoCopy & { base: string };

const copyEnvRepo = useSeededEnvRepo('gitops-git', [
  {
    files: { [MANIFEST]: 'spec:\n  replicas: 3\n', 'README.md': '# env\n' },
    message: 'initial',
    date: '2026-01-01T10:00:00Z',
  },
]);

function makeWorld(): World {
  const copy = copyEnvRepo();
  return { ...copy, base: copy.shas[0]! };
}

function request(content: string, branch = BRANCH): ChangeRequest {
  return {
    branch,
    title: 'Block promotion of checkout',
    body: '## Evidence\n\nfast burn',
    commitMessage: 'checkout: block promotion',
    files: [{ path: MANIFEST, content }],
  };
}

const PAUSED = 'spec:\n  paused: true\n  replicas: 3\n';

describe('git provider: opening a change', () => {
  let world: World;
  beforeEach(() => (world = makeWorld()));
  afterEach(() => world.cleanup());

  it('pushes a branch with one SafeDeploy commit on top of the base', async () => {
    const result = await world.provider.openChange(request(PAUSED));

    expect(result).toMatchObject({
      status: 'succeeded',
      created: true,
      change: { state: 'open', branch: BRANCH },
    });
    if (result.status !== 'succeeded') throw new Error('unreachable');
    expect(result.change.url).toBe(`${world.url}#${BRANCH}`);
    expect(commitsAhead(world.bare, BRANCH)).toEqual([result.change.headSha]);
    expect(revParse(world.bare, `${BRANCH}^`)).toBe(world.base);
    expect(showFile(world.bare, BRANCH, MANIFEST)).toBe(PAUSED);
    expect(showFile(world.bare, BRANCH, 'README.md')).toBe('# env\n');
    const identity = git(world.bare, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', BRANCH]);
    const expected = `${SAFEDEPLOY_IDENTITY.name} <${SAFEDEPLOY_IDENTITY.email}>`;
    expect(identity).toBe(`${expected}|${expected}`);
    const message = git(world.bare, ['log', '-1', '--format=%B', BRANCH]);
    expect(message).toBe(
      `checkout: block promotion\n\n## Evidence\n\nfast burn\n\nSafeDeploy-Change: ${BRANCH}`,
    );
    expect(revParse(world.bare, 'main')).toBe(world.base);
  });

  it('reuses the branch on a re-run: same head, created=false, no second commit', async () => {
    const first = await world.provider.openChange(request(PAUSED));
    const again = await world.provider.openChange(request(PAUSED));

    expect(again).toEqual({ ...first, created: false });
    expect(commitsAhead(world.bare, BRANCH)).toHaveLength(1);
    expect(remoteBranches(world.bare).sort()).toEqual(['main', BRANCH]);
  });

  it('skips with no-diff, creating nothing, when the base already has the content', async () => {
    const result = await world.provider.openChange(request('spec:\n  replicas: 3\n'));

    expect(result).toEqual({ status: 'skipped', reason: 'no-diff' });
    expect(remoteBranches(world.bare)).toEqual(['main']);
  });

  it('adds one commit on top when the requested content changed since the branch was opened', async () => {
    await world.provider.openChange(request(PAUSED));
    const result = await world.provider.openChange(request('spec:\n  paused: true\n  replicas: 4\n'));

    expect(result).toMatchObject({ status: 'succeeded', created: false });
    expect(commitsAhead(world.bare, BRANCH)).toHaveLength(2);
    expect(showFile(world.bare, BRANCH, MANIFEST)).toBe('spec:\n  paused: true\n  replicas: 4\n');
  });

  it('keeps an open branch when only the base moved on', async () => {
    const first = await world.provider.openChange(request(PAUSED));
    seedHistory(world.url, [
      { files: { 'README.md': '# env v2\n' }, message: 'docs', date: '2026-01-02T10:00:00Z' },
    ]);
    const again = await world.provider.openChange(request(PAUSED));

    expect(again).toEqual({ ...first, created: false });
  });

  it('serializes concurrent runs from two providers sharing a cache: one branch, one commit', async () => {
    const other = createGitProvider({ url: world.url, baseBranch: 'main', cacheDir: world.cacheDir });
    const results = await Promise.all([
      world.provider.openChange(request(PAUSED)),
      other.openChange(request(PAUSED)),
      world.provider.openChange(request(PAUSED)),
    ]);

    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(results.filter((r) => r.status === 'succeeded' && r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => (r.status === 'succeeded' ? r.change.headSha : '')))).toHaveProperty(
      'size',
      1,
    );
    expect(commitsAhead(world.bare, BRANCH)).toHaveLength(1);
    expect(readdirSync(world.cacheDir).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });
});

describe('git provider: converging after a crash', () => {
  let world: World;
  beforeEach(() => (world = makeWorld()));
  afterEach(() => world.cleanup());

  it('completes a branch that was created but never committed to, without a second branch', async () => {
    setRemoteBranch(world.bare, BRANCH, world.base);
    expect((await world.provider.getChange(BRANCH))?.state).toBe('open');

    const result = await world.provider.openChange(request(PAUSED));

    expect(result).toMatchObject({ status: 'succeeded', created: false, change: { state: 'open' } });
    expect(commitsAhead(world.bare, BRANCH)).toHaveLength(1);
    expect(remoteBranches(world.bare).sort()).toEqual(['main', BRANCH]);
  });

  it('finds the pushed commit again when the caller crashed before recording it, even with a fresh cache', async () => {
    const pushed = await world.provider.openChange(request(PAUSED));
    const restarted = createGitProvider({
      url: world.url,
      baseBranch: 'main',
      cacheDir: join(world.cacheDir, '..', 'fresh'),
    });

    const again = await restarted.openChange(request(PAUSED));

    expect(again).toEqual({ ...pushed, created: false });
    expect(commitsAhead(world.bare, BRANCH)).toHaveLength(1);
  });
});

describe('git provider: change state', () => {
  let world: World;
  beforeEach(() => (world = makeWorld()));
  afterEach(() => world.cleanup());

  it('is null for a branch that never existed', async () => {
    expect(await world.provider.getChange('safedeploy/nope/block-promotion')).toBeNull();
  });

  it('is open after opening', async () => {
    const opened = await world.provider.openChange(request(PAUSED));
    expect(await world.provider.getChange(BRANCH)).toEqual(
      opened.status === 'succeeded' ? opened.change : null,
    );
  });

  it('is merged, with the merge commit, after a reviewer merges with --no-ff', async () => {
    const opened = await world.provider.openChange(request(PAUSED));
    const mergeCommit = mergeAsReviewer(world.url, BRANCH);
    seedHistory(world.url, [
      { files: { 'README.md': 'later\n' }, message: 'later', date: '2026-01-03T10:00:00Z' },
    ]);

    const change = await world.provider.getChange(BRANCH);

    expect(change).toMatchObject({
      state: 'merged',
      mergeCommit,
      headSha: opened.status === 'succeeded' ? opened.change.headSha : '',
    });
  });

  it('is merged with the change commit itself after a fast-forward merge', async () => {
    const opened = await world.provider.openChange(request(PAUSED));
    mergeAsReviewer(world.url, BRANCH, { fastForward: true });
    const head = opened.status === 'succeeded' ? opened.change.headSha : '';

    expect(await world.provider.getChange(BRANCH)).toMatchObject({
      state: 'merged',
      mergeCommit: head,
      headSha: head,
    });
  });

  it('stays merged after the branch is deleted, and a re-run then skips with that change', async () => {
    await world.provider.openChange(request(PAUSED));
    const mergeCommit = mergeAsReviewer(world.url, BRANCH);
    deleteRemoteBranch(world.bare, BRANCH);

    expect(await world.provider.getChange(BRANCH)).toMatchObject({ state: 'merged', mergeCommit });
    const rerun = await world.provider.openChange(request(PAUSED));
    expect(rerun).toMatchObject({
      status: 'skipped',
      reason: 'no-diff',
      change: { state: 'merged', mergeCommit },
    });
    expect(remoteBranches(world.bare)).toEqual(['main']);
  });

  it('proposes again on a merged, kept branch once the base has undone its change, without force', async () => {
    const first = await world.provider.openChange(request(PAUSED));
    mergeAsReviewer(world.url, BRANCH);
    seedHistory(world.url, [
      { files: { [MANIFEST]: 'spec:\n  replicas: 3\n' }, message: 'promote', date: '2026-01-05T10:00:00Z' },
    ]);
    const oldHead = first.status === 'succeeded' ? first.change.headSha : '';

    const again = await world.provider.openChange(request(PAUSED));

    expect(again).toMatchObject({ status: 'succeeded', created: false, change: { state: 'open' } });
    const newHead = revParse(world.bare, BRANCH);
    expect(git(world.bare, ['rev-list', '--parents', '-1', newHead]).split(' ')).toEqual([
      newHead,
      oldHead,
      revParse(world.bare, 'main'),
    ]);
    expect(git(world.bare, ['diff', '--name-only', 'main', BRANCH])).toBe(MANIFEST);
    mergeAsReviewer(world.url, BRANCH, { fastForward: true });
    expect(showFile(world.bare, 'main', MANIFEST)).toBe(PAUSED);
    expect(await world.provider.getChange(BRANCH)).toMatchObject({ state: 'merged', headSha: newHead });
  });

  it('is closed when the branch is deleted without merging', async () => {
    const opened = await world.provider.openChange(request(PAUSED));
    deleteRemoteBranch(world.bare, BRANCH);

    const change = await world.provider.getChange(BRANCH);

    expect(change).toMatchObject({
      state: 'closed',
      headSha: opened.status === 'succeeded' ? opened.change.headSha : '',
    });
    expect(change?.mergeCommit).toBeUndefined();
  });

  it('does not take an empty branch for a merged one', async () => {
    setRemoteBranch(world.bare, BRANCH, world.base);
    expect(await world.provider.getChange(BRANCH)).toMatchObject({ state: 'open', headSha: world.base });
  });
});

describe('git provider: reading', () => {
  let world: World;
  beforeAll(() => {
    world = makeWorld();
    seedHistory(world.url, [
      { files: { [MANIFEST]: 'v2\n' }, message: 'v2', date: '2026-01-02T10:00:00Z' },
      { files: { 'README.md': 'docs\n' }, message: 'docs only', date: '2026-01-02T12:00:00Z' },
      { files: { [MANIFEST]: 'v3\n' }, message: 'v3', date: '2026-01-03T10:00:00Z' },
    ]);
  });
  afterAll(() => world.cleanup());

  it('reads a file on the base branch, at a commit, and null when absent', async () => {
    const [v2] = await world.provider.fileHistory(MANIFEST, new Date('2026-01-02T10:00:00Z'));
    expect(await world.provider.readFile(MANIFEST)).toBe('v3\n');
    expect(await world.provider.readFile(MANIFEST, v2?.sha)).toBe('v2\n');
    expect(await world.provider.readFile('apps/missing.yaml')).toBeNull();
  });

  it.each([
    [
      'everything without a bound',
      undefined,
      ['2026-01-03T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
    ],
    [
      'commits exactly at the bound',
      '2026-01-02T10:00:00.000Z',
      ['2026-01-02T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
    ],
    ['nothing a millisecond before the first commit', '2026-01-01T09:59:59.999Z', []],
    [
      'only commits touching the file',
      '2026-01-02T23:00:00.000Z',
      ['2026-01-02T10:00:00.000Z', '2026-01-01T10:00:00.000Z'],
    ],
  ])('lists file history, newest first: %s', async (_case, until, dates) => {
    const history = await world.provider.fileHistory(MANIFEST, until ? new Date(until) : undefined);
    expect(history.map((r) => r.date)).toEqual(dates);
    expect(history.every((r) => /^[0-9a-f]{40}$/.test(r.sha))).toBe(true);
  });
});

describe('git provider: input and remote errors', () => {
  let world: World;
  beforeAll(() => (world = makeWorld()));
  afterAll(() => world.cleanup());

  it.each([
    ['an invalid branch name', { ...request(PAUSED), branch: 'bad..name' }],
    ['a path escaping the repository', { ...request(PAUSED), files: [{ path: '../x', content: '' }] }],
    ['a path into .git', { ...request(PAUSED), files: [{ path: '.git/config', content: '' }] }],
    ['no files', { ...request(PAUSED), files: [] }],
  ])('rejects %s as non-retryable input', async (_case, bad) => {
    await expect(world.provider.openChange(bad)).rejects.toBeInstanceOf(GitOpsInputError);
  });

  it('names a missing base branch and what to check', async () => {
    const provider = createGitProvider({
      url: world.url,
      baseBranch: 'production',
      cacheDir: world.cacheDir,
    });
    await expect(provider.readFile(MANIFEST)).rejects.toThrow(
      new GitOpsInputError(
        `base branch "production" does not exist on ${world.url}; check rollback.repo.baseBranch in the catalog`,
      ),
    );
  });

  it('never reveals credentials from the remote URL, in errors or in the cache', async () => {
    const port = await closedPort();
    const secret = 'sup3r-s3cret-t0ken';
    const provider = createGitProvider({
      url: `https://deploy-bot:${secret}@127.0.0.1:${port}/acme/env.git`,
      baseBranch: 'main',
      cacheDir: world.cacheDir,
    });

    const error = await provider.openChange(request(PAUSED)).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );

    expect(error).not.toBeInstanceOf(GitOpsInputError); // unreachable remote: transient, retried
    expect(error.message).toMatch(/git fetch .*https:\/\/\[REDACTED\]@127\.0\.0\.1/);
    expect(`${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`).not.toContain(secret);
    expect(cacheText(world.cacheDir)).not.toContain(secret);
  });
});

/** A localhost port nobody listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Names and small text files of the cache, where a leaked credential would be persisted. */
function cacheText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const path = join(dir, name);
      try {
        return `${name}\n${readFileSync(path, 'utf8').slice(0, 100_000)}`;
      } catch {
        return name;
      }
    })
    .join('\n');
}
