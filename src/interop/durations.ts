// OpenSLO's duration shorthand (one number and one unit: m h d w M Q Y) ↔ Prometheus durations.
// Months and quarters have no fixed length, so no Prometheus duration means the same thing.
import { durationSeconds, isDuration } from '../slo/windows';

const FIXED_UNITS: Record<string, string> = { m: 'm', h: 'h', d: 'd', w: 'w', Y: 'y' };
const SHORTHAND = /^(\d+)([mhdwMQY])$/;

export type WindowResult = { window: string } | { problem: string };

export function fromShorthand(shorthand: string): WindowResult {
  const match = SHORTHAND.exec(shorthand.trim());
  if (!match) return { problem: `"${shorthand}" is not an OpenSLO duration such as 28d, 4w or 1M` };
  const [, amount, unit] = match as unknown as [string, string, string];
  const promUnit = FIXED_UNITS[unit];
  if (promUnit === undefined)
    return { problem: `"${shorthand}": months and quarters have no fixed length; use days (e.g. 30d)` };
  const window = `${Number(amount)}${promUnit}`;
  return isDuration(window) ? { window } : { problem: `"${shorthand}" is not a positive duration` };
}

/** The largest single unit that divides the window exactly (30d, 90m); undefined below a minute. */
export function toShorthand(window: string): string | undefined {
  const seconds = durationSeconds(window);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return undefined;
}
