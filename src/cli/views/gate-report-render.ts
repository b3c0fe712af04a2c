// `report --gate` as a table or GitHub Markdown: one row per service and mode, answered and
// would-be counts side by side, then the reasons.
import type { GateReport, ModeSummary, VerdictCounts } from '../../operator/gate-report';
import { renderTable } from '../table';
import { markdownTable } from './report-render';

const HEADER = [
  'SERVICE',
  'MODE',
  'ANSWERS',
  'ALLOWED',
  'HELD',
  'DENIED',
  'WOULD ALLOW',
  'WOULD HOLD',
  'WOULD DENY',
  'REASONS (would hold or deny)',
];

function headline(report: GateReport): string {
  return `SafeDeploy gate answers from ${report.since} to ${report.generatedAt}: ${report.answers} answers`;
}

function rows(report: GateReport): string[][] {
  return report.services.flatMap((s) => s.modes.map((m) => row(s.service, m)));
}

function row(service: string, m: ModeSummary): string[] {
  return [service, m.mode, String(m.answers), ...counts(m.answered), ...counts(m.wouldBe), reasons(m)];
}

function counts(c: VerdictCounts): string[] {
  return [String(c.allow), String(c.hold), String(c.deny)];
}

function reasons(m: ModeSummary): string {
  return m.reasons.map((r) => `${r.code} ×${r.count}`).join(', ') || '-';
}

export function renderGateReportText(report: GateReport): string {
  const body =
    report.answers > 0 ? renderTable(HEADER, rows(report)) : 'no gate answers recorded in this period\n';
  return `${headline(report)}\n\n${body}`;
}

export function renderGateReportMarkdown(report: GateReport): string {
  const body =
    report.answers > 0 ? markdownTable(HEADER, rows(report)) : '_no gate answers recorded in this period_\n';
  return `# ${headline(report)}\n\n${body}`;
}
