import type { FleetEvaluation } from '../../evaluation/evaluate-fleet';
import { ALERT_WINDOWS } from '../../slo/windows';
import { renderTable } from '../table';
import { SLO_COLUMNS, sloCells, verdictText } from './format';

/** One row per SLO, then the reasons behind every verdict that is not allow. */
export function renderEvaluationTable(e: FleetEvaluation): string {
  const header = [...SLO_COLUMNS, 'VERDICT'];
  const rows: string[][] = [];
  for (const s of e.services) {
    if (s.slos.length === 0)
      rows.push([s.service, '-', '-', s.severity, '-', ...ALERT_WINDOWS.map(() => '-'), verdictText(s.gate)]);
    for (const slo of s.slos) rows.push([...sloCells(s.service, slo), verdictText(s.gate)]);
  }
  const reasons = e.services
    .filter((s) => s.gate.reasons.length > 0)
    .flatMap((s) =>
      s.gate.reasons.map((r) => `  ${s.service}: ${verdictText(s.gate)} [${r.code}] ${r.message}`),
    );
  const slos = e.services.flatMap((s) => s.slos);
  const recorded = slos.filter((slo) => slo.source === 'recorded').length;
  const summary = `evaluated ${e.services.length} services at ${e.evaluatedAt} (${recorded} of ${slos.length} SLOs from recorded series, the rest from raw queries)`;
  return [
    renderTable(header, rows),
    reasons.length > 0 ? `Reasons:\n${reasons.join('\n')}\n` : '',
    `${summary}\n`,
  ]
    .filter(Boolean)
    .join('\n');
}
