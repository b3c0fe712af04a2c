// `incident list` and `incident show` as text: a table of incidents, and one incident's record —
// transitions with actor and reason, proposals with their change, the timeline, the postmortem.
import type { IncidentSummary } from '../../operator/report';
import type { IncidentView } from '../../../workflows/messages';
import {
  releaseLabel,
  spendSentence,
  type AttributedRevision,
  type Attribution,
} from '../../incident/attribution';
import { renderTable } from '../table';
import { formatAge, secondsSince } from './format';
import { stateWithApprovals } from './proposal-table';

export function renderIncidentList(incidents: IncidentSummary[], all: boolean): string {
  if (incidents.length === 0)
    return all ? 'no incidents\n' : 'no open incidents (add --all to include finished ones)\n';
  const rows = incidents.map((i) => [
    i.incidentId,
    i.service,
    i.kind,
    i.state,
    i.severity,
    formatAge(i.ageSeconds),
    i.proposals.map((p) => `${p.type}:${p.state}`).join(', ') || '-',
  ]);
  return renderTable(['INCIDENT', 'SERVICE', 'KIND', 'STATE', 'SEVERITY', 'AGE', 'PROPOSALS'], rows);
}

export function renderIncidentDetail(view: IncidentView, now: Date): string {
  const sections = [summary(view, now), transitions(view), proposals(view), timeline(view)];
  if (view.attribution) sections.splice(1, 0, attribution(view.attribution));
  if (view.postmortem) sections.push(postmortem(view.postmortem));
  return sections.join('\n');
}

function summary(v: IncidentView, now: Date): string {
  const fields: [string, string][] = [
    ['Incident', v.incidentId],
    ['Service', `${v.service} (${v.kind} incident)`],
    ['State', v.state],
    ['Severity', v.severity],
    ['Detected', `${v.detectedAt} (${formatAge(secondsSince(v.detectedAt, now))} ago)`],
  ];
  if (v.lastHealthyAt) fields.push(['Last healthy', v.lastHealthyAt]);
  if (v.context?.approvers) fields.push(['Approvers', v.context.approvers.join(', ') || '-']);
  return fields.map(([k, value]) => `${`${k}:`.padEnd(14)}${value}`).join('\n') + '\n';
}

function attribution(a: Attribution): string {
  const images = (r?: AttributedRevision) => r?.images.map((i) => i.image).join(', ') || '-';
  const lines: [string, string][] = [
    [
      'Burn began',
      `${a.onset.at} (${a.onset.source === 'prometheus' ? `${a.onset.slo}: ${a.onset.ratioWindow} error ratio left its baseline${a.onset.atWindowStart ? ', or earlier' : ''}` : (a.onset.note ?? 'detection time')})`,
    ],
    ['Look-back', a.lookback],
  ];
  if (a.outcome === 'none') lines.push(['No rollback', a.reason ?? 'no release to roll back']);
  if (a.suspect) {
    lines.push(
      ['Suspect', `${releaseLabel(a.suspect)} ${a.suspect.sha.slice(0, 12)} "${a.suspect.subject ?? ''}"`],
      ['Author', a.suspect.author ?? 'unknown'],
      ['Committed', a.suspect.date],
    );
  }
  if (a.current) lines.push(['Images now', images(a.current)]);
  if (a.target)
    lines.push(['Restores', `${images(a.target)} (${a.target.sha.slice(0, 12)}, ${a.target.date})`]);
  for (const c of a.afterOnset ?? [])
    lines.push([
      'After onset',
      `${c.sha.slice(0, 12)} ${c.date} "${c.subject ?? ''}" (not a suspect; reverted too)`,
    ]);
  for (const s of a.spent ?? []) lines.push(['Budget spent', spendSentence(a, s)]);
  for (const q of a.onset.queries)
    lines.push(['Onset query', `${q.expr} [${q.start} … ${q.end}, step ${q.stepSeconds}s]`]);
  return `Attribution\n${lines.map(([k, value]) => `${`${k}:`.padEnd(14)}${value}`).join('\n')}\n`;
}

function transitions(v: IncidentView): string {
  const rows = v.transitions.map((t) => [t.at, t.from ?? '-', t.to, t.actor, t.reason]);
  return `Transitions\n${renderTable(['TIME', 'FROM', 'TO', 'ACTOR', 'REASON'], rows)}`;
}

function proposals(v: IncidentView): string {
  if (v.proposals.length === 0) return 'Proposals\nnone\n';
  const rows = v.proposals.map((p) => [
    p.id,
    stateWithApprovals(p),
    p.expiresAt,
    p.target?.images
      ? `${p.target.images.map((i) => i.image).join(', ')} (${p.target.sha.slice(0, 12)})`
      : '-',
    p.change?.url ?? p.error ?? '-',
  ]);
  const decisions = v.proposals.flatMap((p) =>
    p.decisions.map(
      (d) =>
        `  ${d.at} ${d.by} ${d.action} ${p.type}: ${d.accepted ? 'accepted' : `refused (${d.refusal ?? ''})`} — ${d.reason}${d.fingerprint ? ` [signed ${d.fingerprint}]` : d.signed === false ? ' [unsigned]' : ''}`,
    ),
  );
  const table = renderTable(['PROPOSAL', 'STATE', 'EXPIRES', 'RESTORES', 'CHANGE'], rows);
  return `Proposals\n${table}${decisions.length > 0 ? `Decisions:\n${decisions.join('\n')}\n` : ''}`;
}

function timeline(v: IncidentView): string {
  const rows = v.timeline.map((e) => [e.at, e.actor, e.kind, e.message]);
  return `Timeline\n${renderTable(['TIME', 'ACTOR', 'KIND', 'MESSAGE'], rows)}`;
}

function postmortem(p: NonNullable<IncidentView['postmortem']>): string {
  const items = p.actionItems.map((item) => `  - ${item}`);
  return `Postmortem\n${p.url} (recorded by ${p.by} at ${p.at})\n${items.length > 0 ? `Action items:\n${items.join('\n')}\n` : ''}`;
}
