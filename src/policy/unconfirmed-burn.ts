// Unconfirmed burns: a window pair whose short window already burns past its factor while its long
// window has not yet. Incidents wait for both windows (multi-window confirmation keeps the pager
// quiet on blips), but a canary must not be promoted through the first minutes of a burn: the gate
// holds until the pair either confirms (an incident, deny) or fades (allow).
import type { SloAssessment } from '../slo/assess';
import { exceeds } from '../slo/assess';
import type { Severity } from '../slo/severity';
import { BURN_RATE_RULES, burnRateFactor, type AlertWindow, type BurnSeverity } from '../slo/windows';

export interface UnconfirmedBurn {
  /** What the pair would classify the SLO as once its long window confirms. */
  severity: BurnSeverity;
  short: AlertWindow;
  long: AlertWindow;
  factor: number;
  shortBurnRate: number;
  /** null when the long window has no data. */
  longBurnRate: number | null;
}

/**
 * The SLO's window pairs that burn in the short window only. Pairs of a severity the SLO already
 * has (or is worse than) add nothing: the gate is already holding or denying for that reason.
 */
export function unconfirmedBurns(slo: SloAssessment): UnconfirmedBurn[] {
  const found: UnconfirmedBurn[] = [];
  for (const rule of BURN_RATE_RULES) {
    if (alreadyCovered(slo.severity, rule.severity)) continue;
    const factor = burnRateFactor(rule, slo.window);
    const shortBurnRate = slo.burnRates[rule.short];
    const longBurnRate = slo.burnRates[rule.long];
    if (shortBurnRate === null || !exceeds(shortBurnRate, factor) || exceeds(longBurnRate, factor)) continue;
    found.push({
      severity: rule.severity,
      short: rule.short,
      long: rule.long,
      factor,
      shortBurnRate,
      longBurnRate,
    });
  }
  return found;
}

/** Exhausted and fast-burn already deny; slow-burn already holds, which only a fast pair can sharpen. */
function alreadyCovered(severity: Severity, pair: BurnSeverity): boolean {
  if (severity === 'exhausted' || severity === 'fast-burn') return true;
  return severity === 'slow-burn' && pair === 'slow-burn';
}
