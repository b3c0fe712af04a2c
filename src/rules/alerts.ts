// The four multi-window burn-rate alerts of one SLO, one per window pair of BURN_RATE_RULES, read from
// the recorded ratios like Sloth's alerts: a pair fires when both its long and short window burn
// faster than the pair's factor. Fast-burn pairs page, slow-burn pairs open a ticket (Sloth's
// severities), so teams can page from Alertmanager on the same math the gate uses.
import type { Service, Slo } from '../catalog/model';
import { errorBudget } from '../slo/budget';
import { BURN_RATE_RULES, burnRateFactor, type BurnRateRule } from '../slo/windows';
import { identityLabels, LABEL, selector, sliErrorMetric, sloId } from './conventions';

export interface AlertingRule {
  alert: string;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const ALERT_NAME = {
  'fast-burn': 'SafeDeployErrorBudgetFastBurn',
  'slow-burn': 'SafeDeployErrorBudgetSlowBurn',
};
const SEVERITY = { 'fast-burn': 'page', 'slow-burn': 'ticket' };

export function burnRateAlerts(service: Service, slo: Slo): AlertingRule[] {
  return BURN_RATE_RULES.map((rule) => burnRateAlert(service, slo, rule));
}

function burnRateAlert(service: Service, slo: Slo, rule: BurnRateRule): AlertingRule {
  const factor = tidy(burnRateFactor(rule, slo.window));
  const budget = tidy(errorBudget(slo.objective));
  const filter = selector(identityLabels(service, slo));
  const over = (window: string) =>
    `max(${sliErrorMetric(window)}${filter} > (${factor} * ${budget})) without (${LABEL.window})`;
  const severity = SEVERITY[rule.severity];
  return {
    alert: ALERT_NAME[rule.severity],
    expr: `${over(rule.long)}\nand\n${over(rule.short)}`,
    // The SLO's labels again (the expression carries them too): without them promtool's lint sees the
    // same alert for every SLO as a duplicate.
    labels: {
      [LABEL.id]: sloId(service.name, slo.name),
      [LABEL.service]: service.name,
      [LABEL.slo]: slo.name,
      severity,
      [LABEL.severity]: severity,
      safedeploy_severity: rule.severity,
      long_window: rule.long,
      short_window: rule.short,
    },
    annotations: {
      summary: `{{$labels.${LABEL.service}}} {{$labels.${LABEL.slo}}}: error budget burning over ${factor}x (${rule.long} and ${rule.short} windows)`,
      description: `At this rate ${rule.budgetShare * 100}% of the ${slo.window} error budget is spent within ${rule.long}. SafeDeploy's gate reports ${rule.severity} for this SLO.`,
    },
  };
}

/** 14.400000000000002 → 14.4: twelve significant digits are far below any threshold's meaning. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
