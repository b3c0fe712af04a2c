import type { FleetEvaluation } from '../../evaluation/evaluate-fleet';
import { ALERT_WINDOWS } from '../../slo/windows';
import { renderTable } from '../table';

/** One row per SLO, then the reasons behind every verdict that is not allow. */
export function renderEvaluationTable(e: FleetEvaluation): string {
  const header = [
    'SERVICE',
    'SLO',
    'OBJECTIVE',
    'SEVERITY',
    'BUDGET LEFT',
    ...ALERT_WINDOWS.map((w) => `BURN ${w}`),
    'VERDICT',
  ];
  const rows: string[][] = [];
  for (const s of e.services) {
    if (s.slos.length === 0)
      rows.push([s.service, '-', '-', s.severity, '-', ...ALERT_WINDOWS.map(() => '-'), s.gate.verdict]);
    for (const slo of s.slos) {
      rows.push([
        s.service,
        slo.name,
        `${slo.objective}% / ${slo.window}`,
        slo.severity,
        percent(slo.errorBudget.remaining),
        ...ALERT_WINDOWS.map((w) => rate(slo.burnRates[w])),
        s.gate.verdict,
      ]);
    }
  }
  const reasons = e.services
    .filter((s) => s.gate.reasons.length > 0)
    .flatMap((s) => s.gate.reasons.map((r) => `  ${s.service}: ${s.gate.verdict} [${r.code}] ${r.message}`));
  const summary = `evaluated ${e.services.length} services at ${e.evaluatedAt}`;
  return [
    renderTable(header, rows),
    reasons.length > 0 ? `Reasons:\n${reasons.join('\n')}\n` : '',
    `${summary}\n`,
  ]
    .filter(Boolean)
    .join('\n');
}

function percent(v: number | null): string {
  return v === null ? 'no data' : `${(v * 100).toFixed(1)}%`;
}

function rate(v: number | null): string {
  return v === null ? '-' : v.toFixed(2);
}
