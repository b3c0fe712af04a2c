// Recording rules for one SLO, Sloth-style: one `slo:sli_error:ratio_rate<w>` series per alert window,
// computed from the SLI's own queries, and the SLO-window series averaged over the recorded 5m ratio
// (sum_over_time / count_over_time, as Sloth's optimised period rule does) instead of re-reading
// 30 days of raw samples on every evaluation.
import type { Service, Slo } from '../catalog/model';
import { renderQuery } from '../prometheus/measure';
import { ALERT_WINDOWS } from '../slo/windows';
import { identityLabels, LABEL, PERIOD_SOURCE_WINDOW, selector, sliErrorMetric } from './conventions';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

/**
 * The error ratio of one window from the SLI's queries. Differs from Sloth's `(errors)/(total)` in one
 * way, on purpose: a window without traffic records no sample instead of NaN. SafeDeploy reads 0/0 as
 * no data either way (src/slo/budget.ts), but one NaN 5m sample would make the averaged SLO-window
 * ratio NaN for a whole SLO window, while a missing one is simply not averaged. Absent errors or
 * totals stay absent (no data, never zero); negative error rates count as 0, as in src/slo/budget.ts.
 */
export function windowRatioExpr(slo: Slo, window: string): string {
  const errors = `sum(${renderQuery(slo.sli.events.errorQuery, window)})`;
  const total = `sum(${renderQuery(slo.sli.events.totalQuery, window)})`;
  return `clamp_min(${errors}, 0)\n/\n(${total} > 0)`;
}

/** Sloth's period expression over the recorded 5m ratio of the same SLO (same SLI digest). */
export function periodRatioExpr(service: Service, slo: Slo): string {
  const source = `${sliErrorMetric(PERIOD_SOURCE_WINDOW)}${selector(identityLabels(service, slo))}`;
  return [
    `sum_over_time(${source}[${slo.window}])`,
    `/ ignoring (${LABEL.window})`,
    `count_over_time(${source}[${slo.window}])`,
  ].join('\n');
}

/** The windows recorded from raw counters: the alert windows (and the SLO window if it is one of them). */
export function shortWindowRules(service: Service, slo: Slo): RecordingRule[] {
  return ALERT_WINDOWS.map((window) => ({
    record: sliErrorMetric(window),
    expr: windowRatioExpr(slo, window),
    labels: { ...identityLabels(service, slo), [LABEL.window]: window },
  }));
}

/** The SLO-window rule; none when the SLO window is itself an alert window (recorded from raw). */
export function periodRules(service: Service, slo: Slo): RecordingRule[] {
  if ((ALERT_WINDOWS as readonly string[]).includes(slo.window)) return [];
  return [
    {
      record: sliErrorMetric(slo.window),
      expr: periodRatioExpr(service, slo),
      labels: { ...identityLabels(service, slo), [LABEL.window]: slo.window },
    },
  ];
}
