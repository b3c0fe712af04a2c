import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { withLock } from '../../../src/gitops/git/lock';
import { tempDir } from '../../harness/git';

describe('withLock', () => {
  let dir: ReturnType<typeof tempDir>;
  let lockPath: string;
  beforeEach(() => {
    dir = tempDir('lock');
    lockPath = join(dir.path, 'nested', 'mirror.lock');
  });
  afterEach(() => dir.cleanup());

  const holdBy = (owner: { pid: number; host: string }): void => {
    mkdirSync(dirname(lockPath), { recursive: true });
    writeFileSync(lockPath, JSON.stringify({ ...owner, at: new Date().toISOString() }));
  };

  it('runs tasks on the same lock one at a time, in call order, and removes the lock file', async () => {
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([withLock(lockPath, task('a')), withLock(lockPath, task('b'))]);

    expect(results).toEqual(['a', 'b']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('releases the lock when a task fails, so the next one runs', async () => {
    const failing = withLock(lockPath, () => Promise.reject(new Error('boom')));
    const next = withLock(lockPath, () => Promise.resolve('ran'));

    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('waits while another live process holds the lock file', async () => {
    holdBy({ pid: process.pid, host: hostname() });
    let ran = false;
    const waiting = withLock(lockPath, () => Promise.resolve((ran = true)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ran).toBe(false);

    rmSync(lockPath);
    await waiting;
    expect(ran).toBe(true);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const child = spawnSync(process.execPath, ['-e', '']);
    holdBy({ pid: child.pid ?? 0, host: hostname() });

    await expect(withLock(lockPath, () => Promise.resolve('ran'), { timeoutMs: 1_000 })).resolves.toBe('ran');
  });

  it('takes over a lock from another host that has not been refreshed', async () => {
    holdBy({ pid: 1, host: 'another-worker' });
    const old = new Date(Date.now() - 10_000);
    utimesSync(lockPath, old, old);

    await expect(withLock(lockPath, () => Promise.resolve('ran'), { staleAfterMs: 5_000 })).resolves.toBe(
      'ran',
    );
  });

  it('gives up with a message naming the lock and its holder', async () => {
    holdBy({ pid: process.pid, host: hostname() });

    await expect(withLock(lockPath, () => Promise.resolve('never'), { timeoutMs: 100 })).rejects.toThrow(
      new RegExp(`timed out waiting for lock ${lockPath} \\(held by .*"pid":${process.pid}`),
    );
  });
});
