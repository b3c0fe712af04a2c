// Small formats shared by the operator views: ages like kubectl's AGE column, budgets, burn rates.
import type { SloAssessment } from '../../slo/assess';
import { ALERT_WINDOWS } from '../../slo/windows';

export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

/** Seconds from an ISO 8601 instant to `now`; 0 for a future instant. */
export function secondsSince(iso: string, now: Date): number {
  return Math.max(0, (now.getTime() - Date.parse(iso)) / 1000);
}

/** A budget fraction as a percentage; "no data" when it could not be measured. */
export function percent(value: number | null): string {
  return value === null ? 'no data' : `${(value * 100).toFixed(1)}%`;
}

/** A burn rate with two decimals; "-" when it could not be measured. */
export function burn(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : value.toFixed(2);
}

/** The columns every SLO table shares: evaluate's and the report's. */
export const SLO_COLUMNS = [
  'SERVICE',
  'SLO',
  'OBJECTIVE',
  'SEVERITY',
  'BUDGET LEFT',
  ...ALERT_WINDOWS.map((w) => `BURN ${w}`),
];

export function sloCells(
  service: string,
  slo: Pick<SloAssessment, 'name' | 'objective' | 'window' | 'severity' | 'errorBudget' | 'burnRates'>,
): string[] {
  return [
    service,
    slo.name,
    `${slo.objective}% / ${slo.window}`,
    slo.severity,
    percent(slo.errorBudget.remaining),
    ...ALERT_WINDOWS.map((w) => burn(slo.burnRates[w])),
  ];
}

/** A verdict with its mode when the mode changed or could change it: "allow (shadow, would deny)". */
export function verdictText(gate: { verdict: string; wouldBe?: string; mode?: string }): string {
  if (gate.mode === undefined || gate.mode === 'enforce') return gate.verdict;
  const would = gate.wouldBe !== undefined && gate.wouldBe !== gate.verdict ? `, would ${gate.wouldBe}` : '';
  return `${gate.verdict} (${gate.mode}${would})`;
}
