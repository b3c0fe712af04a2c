// A lock file so that concurrent jest runs, CI steps or shells don't build or download the same tool twice.
// Creation with O_EXCL is atomic; a lock whose owner died (killed build) is detected and taken over.
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { ToolLog } from './log';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface FileLockOptions {
  log: ToolLog;
  /** How long to wait for another process's build (a Temporal build takes minutes on small machines). */
  waitTimeoutMs?: number;
  /** A lock older than this is considered abandoned even if its owner cannot be checked (another host). */
  staleAfterMs?: number;
}

export async function withFileLock<T>(
  lockPath: string,
  options: FileLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  await acquire(lockPath, options);
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<void> {
  const { log, waitTimeoutMs = 45 * 60_000, staleAfterMs = 2 * 60 * 60_000 } = options;
  await mkdir(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + waitTimeoutMs;
  let announced = false;
  for (;;) {
    if (await tryCreate(lockPath)) return;
    const owner = await readOwner(lockPath);
    if (await isAbandoned(lockPath, owner, staleAfterMs)) {
      log(
        `removing abandoned lock ${lockPath}${owner ? ` (pid ${owner.pid} on ${owner.host} is gone)` : ''}`,
      );
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `timed out after ${Math.round(waitTimeoutMs / 1000)} s waiting for lock ${lockPath}` +
          `${owner ? ` held by pid ${owner.pid} on ${owner.host} since ${owner.since}` : ''}; ` +
          'if no such process is running, delete the file and retry',
      );
    }
    if (!announced) {
      log(`waiting for another process (${owner ? `pid ${owner.pid}` : 'unknown'}) holding ${lockPath}`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    await handle.writeFile(JSON.stringify(owner));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockPath, 'utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'pid' in parsed &&
      'host' in parsed &&
      'since' in parsed
    ) {
      const { pid, host, since } = parsed;
      if (typeof pid === 'number' && typeof host === 'string' && typeof since === 'string')
        return { pid, host, since };
    }
    return undefined;
  } catch {
    // Missing (just released) or still being written by its creator.
    return undefined;
  }
}

async function isAbandoned(
  lockPath: string,
  owner: LockOwner | undefined,
  staleAfterMs: number,
): Promise<boolean> {
  if (owner !== undefined && owner.host === hostname()) return !isAlive(owner.pid);
  try {
    const ageMs = Date.now() - (await stat(lockPath)).mtimeMs;
    // An unreadable lock is normally one being written this instant; give its creator a moment.
    return ageMs > (owner === undefined ? 30_000 : staleAfterMs);
  } catch {
    return false; // released meanwhile: the next attempt will take it
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
