// Polling instead of fixed sleeps: readiness of child servers and eventually-consistent reads in tests.

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is being waited for, used in the timeout error ("Temporal dev server at 127.0.0.1:7233"). */
  what: string;
  /** Checked before each attempt; a string aborts the wait with that reason (e.g. the child process exited). */
  abortReason?: () => string | undefined;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false`, and returns that value. A throwing
 * probe counts as "not yet"; its last error is reported if the time runs out.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: PollOptions,
): Promise<T> {
  const { timeoutMs, intervalMs = 200, what, abortReason } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = abortReason?.();
    if (aborted !== undefined) throw new Error(`gave up waiting for ${what}: ${aborted}`);
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await delay(intervalMs);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
