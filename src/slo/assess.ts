// Assess one SLO from its measured error and total rates per window: ratios, burn rates, budget
// and severity, exactly as README.md "SLO math" states (no data is null:
// docs/ARCHITECTURE.md invariant 1).
import type { Slo } from '../catalog/model';
import { budgetRemaining, burnRate, errorRatio } from './budget';
import type { Severity } from './severity';
import { ALERT_WINDOWS, BURN_RATE_RULES, burnRateFactor, type AlertWindow } from './windows';

/** Measured rates keyed by window (the alert windows and the SLO window); null = no data. */
export interface RawMeasurement {
  errors: Record<string, number | null>;
  totals: Record<string, number | null>;
  /** A query of this SLO failed (rejected, or answered with a malformed value): it fails closed. */
  failed?: boolean;
}

/** Error ratios Prometheus recorded by rule (`rules generate`), keyed by window; null = no data. */
export interface RecordedMeasurement {
  source: 'recorded';
  ratios: Record<string, number | null>;
}

export type SloMeasurement = RawMeasurement | RecordedMeasurement;

/** Where an assessment's ratios came from: recorded series, or the SLI queries on raw samples. */
export type MeasurementSource = 'recorded' | 'raw';

export interface SloAssessment {
  name: string;
  objective: number;
  window: string;
  severity: Severity;
  /** Always set by assessSlo; optional so hand-built assessments (tests, old snapshots) stay valid. */
  source?: MeasurementSource;
  errorBudget: { remaining: number | null };
  burnRates: Record<AlertWindow, number | null>;
  /** Alert windows plus the SLO window (e.g. "30d"). */
  errorRatios: Record<string, number | null>;
}

export function assessSlo(slo: Slo, measured: SloMeasurement): SloAssessment {
  const windows = [...ALERT_WINDOWS, slo.window];
  const errorRatios: Record<string, number | null> = {};
  for (const w of windows) errorRatios[w] = ratioOf(measured, w);
  const burnRates = {} as Record<AlertWindow, number | null>;
  for (const w of ALERT_WINDOWS) burnRates[w] = burnRate(errorRatios[w] ?? null, slo.objective);
  const remaining = budgetRemaining(errorRatios[slo.window] ?? null, slo.objective);
  const failed = !('ratios' in measured) && measured.failed === true;
  const severity = failed
    ? 'no-data'
    : classify(slo.window, sloWindowEvidence(measured, slo.window), remaining, burnRates);
  return {
    name: slo.name,
    objective: slo.objective,
    window: slo.window,
    severity,
    source: 'ratios' in measured ? 'recorded' : 'raw',
    errorBudget: { remaining },
    burnRates,
    errorRatios,
  };
}

function ratioOf(measured: SloMeasurement, window: string): number | null {
  if ('ratios' in measured) return measured.ratios[window] ?? null;
  return errorRatio(measured.errors[window] ?? null, measured.totals[window] ?? null);
}

/** What says the SLO window was measured: its total rate (raw) or its recorded ratio. */
function sloWindowEvidence(measured: SloMeasurement, window: string): number | null {
  return 'ratios' in measured ? (measured.ratios[window] ?? null) : (measured.totals[window] ?? null);
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
