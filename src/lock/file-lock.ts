// The one file lock, for what several processes may share on disk: the tools cache (concurrent jest
// runs and CI steps), a git mirror (several workers on one cache directory) and the file audit store.
// One staleness rule: the holder refreshes the lock file's mtime every HEARTBEAT_MS; a lock not
// refreshed for STALE_AFTER_MS is abandoned (its holder was killed or lost its host) and taken over.
// A heartbeat works across hosts and containers sharing a volume, where a pid names nothing.
// In-process callers queue on a promise chain first, so they never spin on their own lock.
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export const HEARTBEAT_MS = 2_000;
export const STALE_AFTER_MS = 10_000;

export interface LockHolder {
  token: string;
  pid: number;
  host: string;
  since: string;
}

export interface FileLockOptions {
  /** Give up waiting after this long (a retryable error). */
  timeoutMs?: number;
  /** Told once when the lock is held by another process, and when an abandoned lock is taken over. */
  log?: (line: string) => void;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` while holding `lockPath`, in this process and across processes. */
export function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const previous = queues.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holdLock(lockPath, work, options));
  const settled = run.catch(() => undefined);
  queues.set(lockPath, settled);
  void settled.then(() => {
    if (queues.get(lockPath) === settled) queues.delete(lockPath);
  });
  return run;
}

async function holdLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions): Promise<T> {
  const holder = await acquire(lockPath, options);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    if ((await readHolder(lockPath))?.token === holder.token) await unlink(lockPath).catch(() => undefined);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<LockHolder> {
  const log = options.log ?? (() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  await mkdir(dirname(lockPath), { recursive: true });
  let announced = false;
  for (let attempt = 0; ; attempt++) {
    const mine = await tryCreate(lockPath);
    if (mine) return mine;
    const held = await heldSince(lockPath);
    if (held && Date.now() - held.mtimeMs > STALE_AFTER_MS) {
      if (await takeOver(lockPath, held))
        log(`took over abandoned lock ${lockPath} (${describe(held.holder)})`);
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s waiting for lock ` +
          `${lockPath} held by ${describe(held?.holder)}; retry later`,
      );
    if (!announced && held) {
      log(`waiting for ${describe(held.holder)} holding ${lockPath}`);
      announced = true;
    }
    await sleep(Math.min(10 * 2 ** Math.min(attempt, 5), 300) + Math.random() * 20);
  }
}

async function tryCreate(lockPath: string): Promise<LockHolder | undefined> {
  const holder: LockHolder = {
    token: randomUUID(),
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
  };
  try {
    const handle = await open(lockPath, 'wx');
    try {
      await handle.writeFile(JSON.stringify(holder));
    } finally {
      await handle.close();
    }
    return holder;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  }
}

interface Held {
  mtimeMs: number;
  holder: LockHolder | undefined;
}

async function heldSince(lockPath: string): Promise<Held | undefined> {
  try {
    const { mtimeMs } = await stat(lockPath);
    return { mtimeMs, holder: await readHolder(lockPath) };
  } catch {
    return undefined; // released meanwhile: the next attempt takes it
  }
}

/**
 * Moves the abandoned lock aside under a unique name, so two waiters never both delete it; if what
 * was moved is not the lock judged abandoned (it was replaced in between), it is put back.
 */
async function takeOver(lockPath: string, stale: Held): Promise<boolean> {
  const aside = `${lockPath}.abandoned-${randomUUID()}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return false; // another waiter moved it first
  }
  const moved = await readHolder(aside);
  if (stale.holder && moved?.token !== stale.holder.token) {
    await link(aside, lockPath).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return true;
}

async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.token === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string')
      return { token: parsed.token, pid: parsed.pid, host: parsed.host, since: String(parsed.since) };
    return undefined;
  } catch {
    // Missing (just released) or still being written by its creator.
    return undefined;
  }
}

function describe(holder: LockHolder | undefined): string {
  return holder ? `pid ${holder.pid} on ${holder.host} since ${holder.since}` : 'another process';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
