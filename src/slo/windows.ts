// Burn-rate windows and factors are data (SRE Workbook, ch. 5, table 5-8): each rule spends a share
// of the error budget over its long window; the short window makes the alert reset quickly.

export const ALERT_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type AlertWindow = (typeof ALERT_WINDOWS)[number];

export type BurnSeverity = 'fast-burn' | 'slow-burn';

export interface BurnRateRule {
  severity: BurnSeverity;
  /** Share of the whole budget this rule allows to be spent within its long window. */
  budgetShare: number;
  long: AlertWindow;
  short: AlertWindow;
}

export const BURN_RATE_RULES: readonly BurnRateRule[] = [
  { severity: 'fast-burn', budgetShare: 0.02, long: '1h', short: '5m' },
  { severity: 'fast-burn', budgetShare: 0.05, long: '6h', short: '30m' },
  { severity: 'slow-burn', budgetShare: 0.1, long: '1d', short: '2h' },
  { severity: 'slow-burn', budgetShare: 0.1, long: '3d', short: '6h' },
];

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
  y: 365 * 86400,
};

const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** True for a Prometheus duration such as 5m, 30d or 1h30m. */
export function isDuration(text: string): boolean {
  return DURATION.test(text) && durationSeconds(text) > 0;
}

/** Seconds in a Prometheus duration; throws on anything else. */
export function durationSeconds(text: string): number {
  if (!DURATION.test(text)) throw new Error(`invalid duration "${text}": expected e.g. 5m, 1h30m, 30d`);
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit as string] ?? 0);
  }
  return seconds;
}

/** Burn-rate threshold of a rule for an SLO window: F = share × sloWindow / longWindow. */
export function burnRateFactor(rule: BurnRateRule, sloWindow: string): number {
  return (rule.budgetShare * durationSeconds(sloWindow)) / durationSeconds(rule.long);
}
