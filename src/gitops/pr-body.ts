// The evidence a reviewer sees on a SafeDeploy pull request (or, for plain git, in the commit
// message). Rendered from plain data and redacted last, so no credential can slip in through a
// reason or an error text.
import { redact } from '../evidence/redact';
import { ALERT_WINDOWS, type AlertWindow } from '../slo/windows';
import type { Attribution, AttributedRevision } from '../incident/attribution';
import type { ProposalType } from './proposal-types';

/** One SLO's assessment; an `SloAssessment` from src/slo fits this shape. */
export interface SloEvidence {
  name: string;
  objective: number;
  window: string;
  severity: string;
  errorBudget: { remaining: number | null };
  burnRates: Partial<Record<AlertWindow, number | null>>;
}

export interface ChangeEvidence {
  incidentId: string;
  service: string;
  proposalType: ProposalType;
  /** The service's severity (worst of its SLOs). */
  severity: string;
  slos: SloEvidence[];
  approval: { approver: string; reason: string; approvedAt?: string };
  evaluatedAt?: string;
  /** Rollouts only: the manifest revision the images are restored from. */
  rollbackTarget?: { sha: string; date: string };
  /** Rollouts: the burn's onset, the suspect release and what the rollback restores. */
  attribution?: Attribution;
}

const ACTIONS: Record<ProposalType, string> = {
  'rollback-rollout': 'Roll back the Rollout images to the release before the burn began',
  'block-promotion': 'Block canary promotion (spec.paused: true)',
  'promote-canary': 'Promote the canary (spec.paused: false)',
};

export const NEVER_MERGES_FOOTER =
  'SafeDeploy never merges its own changes: a human reviews and merges this change, then Argo CD applies it.';

export function changeTitle(
  evidence: Pick<ChangeEvidence, 'service' | 'proposalType' | 'incidentId'>,
): string {
  return `SafeDeploy ${evidence.proposalType}: ${evidence.service} (incident ${evidence.incidentId})`;
}

/** Markdown body with the evidence for a proposal; known `secrets` and token patterns are redacted. */
export function renderChangeBody(evidence: ChangeEvidence, secrets: readonly string[] = []): string {
  const lines = [
    `## ${ACTIONS[evidence.proposalType]}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Service | ${cell(evidence.service)} |`,
    `| Incident | ${cell(evidence.incidentId)} |`,
    `| Proposal | \`${evidence.proposalType}\` |`,
    `| Severity | ${cell(evidence.severity)} |`,
    ...(evidence.evaluatedAt ? [`| Evaluated at | ${cell(evidence.evaluatedAt)} |`] : []),
    ...targetRows(evidence.rollbackTarget),
    '',
    ...attributionSection(evidence.attribution),
    ...sloSection(evidence.slos),
    '### Approval',
    '',
    `Approved by **${cell(evidence.approval.approver)}**${evidence.approval.approvedAt ? ` at ${cell(evidence.approval.approvedAt)}` : ''}:`,
    '',
    ...evidence.approval.reason.split(/\r?\n/).map((line) => `> ${line}`),
    '',
    '---',
    `_${NEVER_MERGES_FOOTER}_`,
    '',
  ];
  return redact(lines.join('\n'), secrets);
}

function targetRows(target: ChangeEvidence['rollbackTarget']): string[] {
  return target
    ? [`| Restores images from | \`${cell(target.sha.slice(0, 12))}\` (${cell(target.date)}) |`]
    : [];
}

function attributionSection(a: Attribution | undefined): string[] {
  if (!a?.suspect || !a.target) return [];
  const images = (r: AttributedRevision | undefined) =>
    r ? r.images.map((i) => `\`${cell(i.image)}\``).join(', ') || '-' : '-';
  const after = (a.afterOnset ?? []).map((c) => `\`${c.sha.slice(0, 12)}\` (${cell(c.date)})`);
  return [
    '### Attribution',
    '',
    '| | |',
    '|---|---|',
    `| Burn began | ${cell(a.onset.at)} (${a.onset.source === 'prometheus' ? `${cell(a.onset.slo ?? '')}: ${a.onset.ratioWindow} error ratio left its baseline` : 'detection time'}) |`,
    `| Suspect release | \`${a.suspect.sha.slice(0, 12)}\` ${cell(a.suspect.subject ?? '')} |`,
    `| Author | ${cell(a.suspect.author ?? 'unknown')} |`,
    `| Committed | ${cell(a.suspect.date)} |`,
    `| Images now | ${images(a.current)} |`,
    `| Images restored | ${images(a.target)} (from \`${a.target.sha.slice(0, 12)}\`) |`,
    `| Look-back | ${cell(a.lookback)} |`,
    ...(after.length > 0 ? [`| Also reverted (after the onset) | ${after.join(', ')} |`] : []),
    '',
    ...a.onset.queries.map(
      (q) => `Onset query (${cell(q.slo)}, step ${q.stepSeconds}s): \`${cell(q.expr)}\``,
    ),
    '',
  ];
}

function sloSection(slos: readonly SloEvidence[]): string[] {
  if (slos.length === 0) return ['_No SLO assessment attached._', ''];
  const header = [
    'SLO',
    'Objective',
    'Severity',
    'Budget remaining',
    ...ALERT_WINDOWS.map((w) => `Burn ${w}`),
  ];
  const rows = slos.map((slo) => [
    `${cell(slo.name)} (${cell(slo.window)})`,
    `${slo.objective}%`,
    cell(slo.severity),
    percent(slo.errorBudget.remaining),
    ...ALERT_WINDOWS.map((w) => rate(slo.burnRates[w] ?? null)),
  ]);
  return [
    '### SLOs and burn rates',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

/** A burn rate, or "no data" (never 0: missing data is not a healthy reading). */
function rate(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'no data' : value.toFixed(2);
}

function percent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'no data' : `${(value * 100).toFixed(1)}%`;
}

/** Text safe inside a table cell: no pipes or line breaks that would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
