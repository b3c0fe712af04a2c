import { CliError } from './errors';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UNIX_SECONDS = /^\d+(\.\d+)?$/;

/** Parses --at: RFC 3339 (with a zone) or unix seconds, like Prometheus's own `time` parameter. */
export function parseEvaluationTime(text: string | undefined, now: () => Date = () => new Date()): Date {
  if (text === undefined) return now();
  const value = text.trim();
  let at: Date | undefined;
  if (UNIX_SECONDS.test(value)) at = new Date(Number(value) * 1000);
  else if (RFC3339.test(value)) at = new Date(value);
  if (!at || Number.isNaN(at.getTime())) {
    throw new CliError(
      `invalid --at "${text}": expected RFC 3339 with a zone (2026-01-01T00:00:00Z) or unix seconds (1767225600)`,
    );
  }
  return at;
}
