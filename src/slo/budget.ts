// Error-budget arithmetic. Every function is total over `number | null`: null means "no data" and
// propagates; it is never read as zero.

/** The error budget of an objective in percent: 99.9 → 0.001. */
export function errorBudget(objective: number): number {
  return 1 - objective / 100;
}

/**
 * errors / total. A window without traffic (0/0) is no data (null), like an absent or non-finite
 * series: no requests prove nothing about health, so it never reads as zero errors.
 */
export function errorRatio(errors: number | null, total: number | null): number | null {
  if (!isMeasured(errors) || !isMeasured(total)) return null;
  if (total <= 0) return null;
  return Math.max(0, errors) / total;
}

/** How many times faster than sustainable the budget is being spent. */
export function burnRate(ratio: number | null, objective: number): number | null {
  return ratio === null ? null : ratio / errorBudget(objective);
}

/** Fraction of the budget left over the SLO window; negative once overspent. */
export function budgetRemaining(sloWindowRatio: number | null, objective: number): number | null {
  return sloWindowRatio === null ? null : 1 - sloWindowRatio / errorBudget(objective);
}

function isMeasured(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}
