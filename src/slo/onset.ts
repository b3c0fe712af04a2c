// When a burn began, and what it cost: pure rules over a range series of an SLO's short-window
// error ratio. The incident's rollback is attributed to the release that preceded this onset, so the
// rule errs late, never early: the onset is a sample that already showed the errors.
import type { Severity } from './severity';

/** The short window whose error ratio shows a burn's start within a few scrapes. */
export const ONSET_RATIO_WINDOW = '5m';

/** Samples per onset range query: 1h at 5 s, 1d at 2 min. */
export const ONSET_SAMPLES = 720;

export interface RatioPoint {
  /** Unix seconds. */
  at: number;
  /** Errors / total over the short window; null where Prometheus had no data. */
  ratio: number | null;
}

export type Onset =
  | {
      found: true;
      /** Unix seconds of the first sample of the burn. */
      at: number;
      /** The window's first sample with data was already elevated: the burn may have begun earlier. */
      atWindowStart: boolean;
    }
  | { found: false };

/** Error ratio at which an SLO spends its budget exactly as fast as its window allows (burn rate 1). */
export function baselineRatio(objective: number): number {
  return 1 - objective / 100;
}

/**
 * The onset of the newest burn in `points`: the first sample of the last run of consecutive samples
 * whose ratio exceeds `threshold` (samples without data neither start nor end a run).
 */
export function findOnset(points: readonly RatioPoint[], threshold: number): Onset {
  const data = points
    .filter((p): p is { at: number; ratio: number } => p.ratio !== null && Number.isFinite(p.ratio))
    .sort((a, b) => a.at - b.at);
  let last = data.length - 1;
  while (last >= 0 && data[last]!.ratio <= threshold) last--;
  if (last < 0) return { found: false };
  let first = last;
  while (first > 0 && data[first - 1]!.ratio > threshold) first--;
  return { found: true, at: data[first]!.at, atWindowStart: first === 0 };
}

export interface OnsetQueryPlan {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/**
 * The range an onset query reads: the long window of the fastest rule that can raise `severity`
 * (1h for a fast burn, 1d otherwise), never longer than the look-back, ending one step after
 * detection (so the detecting moment is covered) but never after `now`.
 */
export function onsetQueryPlan(
  severity: Severity,
  detectedAt: Date,
  lookbackSeconds: number,
  now: Date,
): OnsetQueryPlan {
  const window = Math.min(lookbackSeconds, severity === 'fast-burn' ? 3_600 : 86_400);
  const stepSeconds = Math.max(1, Math.ceil(window / ONSET_SAMPLES));
  const end = new Date(Math.min(now.getTime(), detectedAt.getTime() + stepSeconds * 1000));
  return { start: new Date(detectedAt.getTime() - window * 1000), end, stepSeconds };
}

/**
 * Share of an SLO's error budget spent over `seconds` at `errorRatio`: the burn rate times the
 * fraction of the SLO window that elapsed (traffic assumed steady across the window).
 */
export function budgetSpent(
  errorRatio: number,
  objective: number,
  seconds: number,
  sloWindowSeconds: number,
): number {
  return (errorRatio / baselineRatio(objective)) * (seconds / sloWindowSeconds);
}
