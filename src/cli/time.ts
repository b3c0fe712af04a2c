import { CliError } from './errors';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const UNIX_SECONDS = /^\d{1,11}(\.\d{1,9})?$/;
/** Year 9999: later instants are typos, and Date cannot print them as RFC 3339. */
const MAX_UNIX_SECONDS = 253_402_300_799;

/**
 * Parses --at: RFC 3339 (with a zone) or unix seconds, like Prometheus's own `time` parameter. The
 * date must exist on the calendar: 2026-02-30 is refused, never rolled over to March 2.
 */
export function parseEvaluationTime(text: string | undefined, now: () => Date = () => new Date()): Date {
  if (text === undefined) return now();
  const value = text.trim();
  const at = UNIX_SECONDS.test(value) ? unixTime(value) : rfc3339Time(value);
  if (!at) {
    throw new CliError(
      `invalid --at "${text}": expected a real RFC 3339 instant with a zone (2026-01-01T00:00:00Z) or unix seconds (1767225600)`,
    );
  }
  return at;
}

function unixTime(value: string): Date | null {
  const seconds = Number(value);
  return seconds <= MAX_UNIX_SECONDS ? new Date(seconds * 1000) : null;
}

function rfc3339Time(value: string): Date | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offsetHours, offsetMinutes] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
