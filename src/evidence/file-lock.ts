// A lock file shared by every process appending to the same audit stream (several workers may share
// a data directory). In-process callers queue on a promise chain first, so they never spin.
import { open, rm, stat } from 'node:fs/promises';

const STALE_MS = 30_000;
const chains = new Map<string, Promise<unknown>>();

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const previous = chains.get(lockPath) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holdLock(lockPath, work));
  chains.set(lockPath, run);
  try {
    return await run;
  } finally {
    if (chains.get(lockPath) === run) chains.delete(lockPath);
  }
}

async function holdLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A process killed while holding the lock leaves it behind; it is stale after STALE_MS.
      const age = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS) await rm(lockPath, { force: true });
      else await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
