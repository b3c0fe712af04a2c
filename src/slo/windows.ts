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

/**
 * The one duration grammar of SafeDeploy, for every flag and catalog field: Prometheus's own (units
 * from largest to smallest, each at most once: 1h30m, not 30m1h or 1h1h), positive, at most a year
 * (longer spans are typos: 1000y), and whole seconds unless sub-second is meaningful (timeouts).
 */
const DURATION =
  /^(?:(\d{1,6})y)?(?:(\d{1,6})w)?(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?(?:(\d{1,6})ms)?$/;
const ORDERED_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;
export const MAX_DURATION_SECONDS = UNIT_SECONDS.y!;

export interface DurationRules {
  /** Allow 500ms and 1s500ms (default false: whole seconds). */
  subSecond?: boolean;
  /** Smallest allowed, in seconds (default: 1 s, or 1 ms with subSecond). */
  minSeconds?: number;
  /** Largest allowed, in seconds (default: one year). */
  maxSeconds?: number;
}

/** Why `text` is not a duration under `rules`, or null when it is one. */
export function durationProblem(text: string, rules: DurationRules = {}): string | null {
  const seconds = parseDuration(text);
  if (seconds === null)
    return 'must be a duration such as 30s, 15m, 24h, 30d or 1h30m (units y w d h m s ms, largest first, each once)';
  const min = rules.minSeconds ?? (rules.subSecond ? 0.001 : 1);
  const max = rules.maxSeconds ?? MAX_DURATION_SECONDS;
  if (!rules.subSecond && !Number.isInteger(seconds)) return 'must be whole seconds (no ms here)';
  if (seconds < min) return `must be at least ${formatDuration(min)}`;
  if (seconds > max) return `must be at most ${formatDuration(max)}`;
  return null;
}

/** True for a duration such as 5m, 30d or 1h30m under the default rules (whole seconds, ≤ 1y). */
export function isDuration(text: string, rules: DurationRules = {}): boolean {
  return durationProblem(text, rules) === null;
}

/** Seconds in a duration; throws on anything that is not one (the rules are the caller's to check). */
export function durationSeconds(text: string): number {
  const seconds = parseDuration(text);
  if (seconds === null) throw new Error(`invalid duration "${text}": expected e.g. 5m, 1h30m, 30d`);
  return seconds;
}

function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text === '') return null;
  let seconds = 0;
  ORDERED_UNITS.forEach((unit, i) => {
    const amount = match[i + 1];
    if (amount !== undefined) seconds += Number(amount) * UNIT_SECONDS[unit]!;
  });
  return seconds;
}

/** 86400 → "1d", 0.5 → "500ms": the largest units that divide it exactly. */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds * 1000);
  let text = '';
  for (const unit of ORDERED_UNITS) {
    const size = Math.round(UNIT_SECONDS[unit]! * 1000);
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}

/** Burn-rate threshold of a rule for an SLO window: F = share × sloWindow / longWindow. */
export function burnRateFactor(rule: BurnRateRule, sloWindow: string): number {
  return (rule.budgetShare * durationSeconds(sloWindow)) / durationSeconds(rule.long);
}
