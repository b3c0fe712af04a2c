// The one file lock: in-process order, release on failure, waiting for a live holder, taking over an
// abandoned one (no heartbeat for STALE_AFTER_MS), the holder's heartbeat, and a clear timeout.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HEARTBEAT_MS, STALE_AFTER_MS, withFileLock } from '../../../src/lock/file-lock';
import { tempDir } from '../../harness/git';

describe('withFileLock', () => {
  let dir: ReturnType<typeof tempDir>;
  let lockPath: string;
  beforeEach(() => {
    dir = tempDir('lock');
    lockPath = join(dir.path, 'nested', 'mirror.lock');
  });
  afterEach(() => dir.cleanup());

  /** A lock file as another process writes it, last refreshed `ageMs` ago. */
  const heldElsewhere = (ageMs: number): void => {
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(
      lockPath,
      JSON.stringify({ token: 'other', pid: 1, host: 'another-worker', since: new Date().toISOString() }),
    );
    const at = new Date(Date.now() - ageMs);
    utimesSync(lockPath, at, at);
  };

  it('runs work on the same lock one at a time, in call order, and removes the lock file', async () => {
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([withFileLock(lockPath, task('a')), withFileLock(lockPath, task('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('releases the lock when the work fails, so the next one runs', async () => {
    const failing = withFileLock(lockPath, () => Promise.reject(new Error('boom')));
    const next = withFileLock(lockPath, () => Promise.resolve('ran'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('waits while another process keeps its lock fresh, and runs once it is released', async () => {
    heldElsewhere(0);
    let ran = false;
    const waiting = withFileLock(lockPath, () => Promise.resolve((ran = true)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toBe(false);
    rmSync(lockPath);
    await waiting;
    expect(ran).toBe(true);
  });

  it('takes over a lock whose holder stopped its heartbeat, whoever and wherever it was, and says so', async () => {
    heldElsewhere(STALE_AFTER_MS + 1_000);
    const log: string[] = [];
    await expect(
      withFileLock(lockPath, () => Promise.resolve('ran'), { log: (l) => log.push(l) }),
    ).resolves.toBe('ran');
    expect(log.join('\n')).toContain('took over abandoned lock');
    expect(log.join('\n')).toContain('pid 1 on another-worker');
    expect(readdirSync(dirname(lockPath))).toEqual([]); // nothing moved aside is left behind
  });

  it('keeps a long holder’s lock fresh with its heartbeat', async () => {
    let mtimeDuring = 0;
    const started = Date.now();
    await withFileLock(lockPath, async () => {
      await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS + 500));
      mtimeDuring = statSync(lockPath).mtimeMs;
    });
    expect(mtimeDuring).toBeGreaterThan(started + HEARTBEAT_MS - 100);
  }, 10_000);

  it('gives up with a message naming the lock and its holder', async () => {
    heldElsewhere(0);
    await expect(withFileLock(lockPath, () => Promise.resolve('never'), { timeoutMs: 100 })).rejects.toThrow(
      `waiting for lock ${lockPath} held by pid 1 on another-worker`,
    );
  });
});
