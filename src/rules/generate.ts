// `rules generate`: the catalog → one Prometheus rule file. Groups per SLO, named like Sloth's
// (sli recordings, then alerts), with the SLO-window rule in a group of its own: it reads the 5m
// series the first group records, and `promtool tsdb create-blocks-from rules` can only backfill a
// rule after the series it reads exist (docs/RECORDING-RULES.md).
import type { Catalog } from '../catalog/model';
import { burnRateAlerts, type AlertingRule } from './alerts';
import { sloId } from './conventions';
import { periodRules, shortWindowRules, type RecordingRule } from './recording';

export type RulePart = 'all' | 'short' | 'period';
export const RULE_PARTS: readonly RulePart[] = ['all', 'short', 'period'];

export interface RuleGroup {
  name: string;
  rules: (RecordingRule | AlertingRule)[];
}

export interface RuleFile {
  groups: RuleGroup[];
}

export interface GenerateOptions {
  alerts?: boolean;
  /** short: the alert windows from raw counters; period: the SLO windows from the recorded 5m ratio. */
  part?: RulePart;
}

export function generateRules(catalog: Catalog, options: GenerateOptions = {}): RuleFile {
  const part = options.part ?? 'all';
  const groups: RuleGroup[] = [];
  for (const service of catalog.services) {
    for (const slo of service.slos) {
      const id = sloId(service.name, slo.name);
      const add = (name: string, rules: RuleGroup['rules']) => {
        if (rules.length > 0) groups.push({ name: `${name}-${id}`, rules });
      };
      if (part !== 'period') add('safedeploy-slo-sli-recordings', shortWindowRules(service, slo));
      if (part !== 'short') add('safedeploy-slo-period-recordings', periodRules(service, slo));
      if (part === 'all' && options.alerts) add('safedeploy-slo-alerts', burnRateAlerts(service, slo));
    }
  }
  return { groups };
}

export function countRules(file: RuleFile): { recording: number; alerting: number } {
  const rules = file.groups.flatMap((g) => g.rules);
  const alerting = rules.filter((r) => 'alert' in r).length;
  return { recording: rules.length - alerting, alerting };
}
