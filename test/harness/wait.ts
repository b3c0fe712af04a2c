import { pollUntil } from '../../src/process/poll';

/**
 * Polls `probe` until it returns something other than undefined/false (a throw counts as "not yet") and
 * returns it; fails with the last error after `timeoutMs`. For eventually-true facts: a scrape, visibility.
 */
export function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  what = 'the condition',
): Promise<T> {
  return pollUntil(probe, { timeoutMs, intervalMs: 250, what });
}
