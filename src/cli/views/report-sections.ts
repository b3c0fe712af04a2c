// The fleet report as titled tables, once, so the text and Markdown renderings say the same thing.
import { releaseLabel, spendSentence, type Attribution } from '../../incident/attribution';
import type { FleetReport } from '../../operator/report';
import { plural } from '../output';
import { formatAge, SLO_COLUMNS, secondsSince, sloCells, verdictText } from './format';

export interface ReportSection {
  title: string;
  header: string[];
  rows: string[][];
  /** Shown instead of an empty table. */
  empty: string;
}

export function reportHeadline(report: FleetReport): string[] {
  const lines = [`SafeDeploy report at ${report.generatedAt}: ${plural(report.services.length, 'service')}`];
  if (!report.temporal.reachable) {
    lines.push(
      `Temporal unreachable (${report.temporal.error}): freezes, incidents and proposals are unknown, ` +
        'so every gate verdict is a fail-closed deny.',
    );
  }
  for (const e of report.queryErrors)
    lines.push(`Query failed for ${e.service}/${e.slo} [${e.window}]: ${e.message}`);
  return lines;
}

export function reportSections(report: FleetReport): ReportSection[] {
  return [servicesSection(report), slosSection(report), ...temporalSections(report), gateSection(report)];
}

function servicesSection(report: FleetReport): ReportSection {
  const rows = report.services.map((s) => [
    s.service,
    owner(s.owner),
    s.approvers.join(', ') || '-',
    s.severity,
    verdictText(s.gate),
  ]);
  return {
    title: 'Services',
    header: ['SERVICE', 'OWNER', 'APPROVERS', 'SEVERITY', 'VERDICT'],
    rows,
    empty: 'no services in the catalog',
  };
}

function slosSection(report: FleetReport): ReportSection {
  const header = SLO_COLUMNS;
  const rows = report.services.flatMap((s) => s.slos.map((slo) => sloCells(s.service, slo)));
  return { title: 'SLOs', header, rows, empty: 'no SLOs' };
}

/** Freezes, incidents and proposals: known only when Temporal answered. */
function temporalSections(report: FleetReport): ReportSection[] {
  const now = new Date(report.generatedAt);
  const unknown = report.temporal.reachable ? undefined : 'unknown: Temporal unreachable';
  const freezes = report.freezes.map((f) => [f.service, f.since, f.until ?? 'budget exhausted']);
  const incidents = report.incidents.map((i) => [
    i.incidentId,
    i.service,
    i.state,
    i.severity,
    formatAge(i.ageSeconds),
  ]);
  const proposals = report.proposals.map((p) => [
    p.id,
    p.state,
    formatAge(secondsSince(p.createdAt, now)),
    p.change?.url ?? '-',
  ]);
  return [
    { title: 'Freezes', header: ['SERVICE', 'SINCE', 'UNTIL'], rows: freezes, empty: unknown ?? 'none' },
    {
      title: 'Incidents',
      header: ['INCIDENT', 'SERVICE', 'STATE', 'SEVERITY', 'AGE'],
      rows: incidents,
      empty: unknown ?? 'none open',
    },
    {
      title: 'Attribution',
      header: ['INCIDENT', 'BURN BEGAN', 'SUSPECT', 'RESTORES', 'BUDGET SPENT'],
      rows: report.incidents.flatMap((i) =>
        i.attribution ? [attributionRow(i.incidentId, i.attribution)] : [],
      ),
      empty: unknown ?? 'none',
    },
    {
      title: 'Open proposals',
      header: ['PROPOSAL', 'STATE', 'AGE', 'CHANGE'],
      rows: proposals,
      empty: unknown ?? 'none',
    },
  ];
}

function attributionRow(incidentId: string, a: Attribution): string[] {
  const restores = a.target
    ? `${a.target.images.map((i) => i.image).join(', ')} (${a.target.sha.slice(0, 12)})`
    : '-';
  return [
    incidentId,
    a.onset.at,
    a.suspect
      ? `${releaseLabel(a.suspect)} ${a.suspect.sha.slice(0, 12)} by ${a.suspect.author ?? 'unknown'}`
      : (a.reason ?? a.outcome),
    restores,
    (a.spent ?? []).map((s) => spendSentence(a, s)).join('; ') || '-',
  ];
}

function gateSection(report: FleetReport): ReportSection {
  const rows = report.services.map((s) => [
    s.service,
    verdictText(s.gate),
    s.gate.reasons.map((r) => `[${r.code}] ${r.message}`).join('; ') || '-',
  ]);
  return { title: 'Gate', header: ['SERVICE', 'VERDICT', 'REASONS'], rows, empty: 'no services' };
}

function owner(o: FleetReport['services'][number]['owner']): string {
  if (!o) return '-';
  return o.contact ? `${o.team} <${o.contact}>` : o.team;
}
