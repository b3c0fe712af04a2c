// Serializes operations on one cached mirror: an in-process queue (one worker runs many activities
// concurrently) plus a lock file (several worker processes may share the cache directory). A lock
// file left by a dead process, or not refreshed for STALE_AFTER_MS, is taken over.
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface LockOptions {
  /** Give up (a retryable error) after waiting this long. */
  timeoutMs?: number;
  staleAfterMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const STALE_AFTER_MS = 60_000;
const HEARTBEAT_MS = 10_000;

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` while holding `lockPath`, in this process and across processes. */
export function withLock<T>(lockPath: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withLockFile(lockPath, task, options));
  const settled = run.catch(() => undefined);
  queues.set(lockPath, settled);
  void settled.then(() => {
    if (queues.get(lockPath) === settled) queues.delete(lockPath);
  });
  return run;
}

async function withLockFile<T>(lockPath: string, task: () => Promise<T>, options: LockOptions): Promise<T> {
  await acquire(lockPath, options);
  // Refresh the lock's mtime so a long operation is not mistaken for a crashed one.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await task();
  } finally {
    clearInterval(heartbeat);
    await unlink(lockPath).catch(() => undefined);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    if (await tryCreate(lockPath)) return;
    if (await isStale(lockPath, options.staleAfterMs ?? STALE_AFTER_MS)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      const holder = await readFile(lockPath, 'utf8').catch(() => 'unknown');
      throw new Error(`timed out waiting for lock ${lockPath} (held by ${holder.trim()}); retry later`);
    }
    await sleep(Math.min(25 * 2 ** Math.min(attempt, 4), 400) + Math.random() * 25);
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(
      JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }),
    );
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Stale: its owner is a process on this host that no longer exists, or it has not been refreshed. */
async function isStale(lockPath: string, staleAfterMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - info.mtimeMs > staleAfterMs) return true;
    const owner = JSON.parse(text) as { pid?: number; host?: string };
    return owner.host === hostname() && typeof owner.pid === 'number' && !processExists(owner.pid);
  } catch {
    // Vanished between checks (just released) or half-written: not stale, try again shortly.
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
