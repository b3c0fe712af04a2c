// Assess one SLO from its measured error and total rates per window: ratios, burn rates, budget
// and severity, exactly as DESIGN.md "SLO math" specifies.
import type { Slo } from '../catalog/model';
import { budgetRemaining, burnRate, errorRatio } from './budget';
import type { Severity } from './severity';
import { ALERT_WINDOWS, BURN_RATE_RULES, burnRateFactor, type AlertWindow } from './windows';

/** Measured rates keyed by window (the alert windows and the SLO window); null = no data. */
export interface SloMeasurement {
  errors: Record<string, number | null>;
  totals: Record<string, number | null>;
  /** A query of this SLO failed (rejected, or answered with a malformed value): it fails closed. */
  failed?: boolean;
}

export interface SloAssessment {
  name: string;
  objective: number;
  window: string;
  severity: Severity;
  errorBudget: { remaining: number | null };
  burnRates: Record<AlertWindow, number | null>;
  /** Alert windows plus the SLO window (e.g. "30d"). */
  errorRatios: Record<string, number | null>;
}

export function assessSlo(slo: Slo, measured: SloMeasurement): SloAssessment {
  const windows = [...ALERT_WINDOWS, slo.window];
  const errorRatios: Record<string, number | null> = {};
  for (const w of windows)
    errorRatios[w] = errorRatio(measured.errors[w] ?? null, measured.totals[w] ?? null);
  const burnRates = {} as Record<AlertWindow, number | null>;
  for (const w of ALERT_WINDOWS) burnRates[w] = burnRate(errorRatios[w] ?? null, slo.objective);
  const remaining = budgetRemaining(errorRatios[slo.window] ?? null, slo.objective);
  const severity = measured.failed
    ? 'no-data'
    : classify(slo.window, measured.totals[slo.window] ?? null, remaining, burnRates);
  return {
    name: slo.name,
    objective: slo.objective,
    window: slo.window,
    severity,
    errorBudget: { remaining },
    burnRates,
    errorRatios,
  };
}

/** Tolerance for threshold comparisons: 0.0144 / (1 - 0.999) is 14.400000000000002 in binary floating point. */
const EPSILON = 1e-9;

/** First match wins: no-data, exhausted, fast-burn, slow-burn, normal. */
export function classify(
  sloWindow: string,
  sloWindowTotal: number | null,
  remaining: number | null,
  burnRates: Record<AlertWindow, number | null>,
): Severity {
  if (sloWindowTotal === null || !Number.isFinite(sloWindowTotal) || remaining === null) return 'no-data';
  if (remaining <= EPSILON) return 'exhausted';
  for (const severity of ['fast-burn', 'slow-burn'] as const) {
    const firing = BURN_RATE_RULES.some(
      (rule) =>
        rule.severity === severity &&
        exceeds(burnRates[rule.long], burnRateFactor(rule, sloWindow)) &&
        exceeds(burnRates[rule.short], burnRateFactor(rule, sloWindow)),
    );
    if (firing) return severity;
  }
  return 'normal';
}

/** A missing burn rate never exceeds a threshold (and so never makes a window pair fire). */
export function exceeds(rate: number | null, factor: number): boolean {
  return rate !== null && rate > factor * (1 + EPSILON);
}
