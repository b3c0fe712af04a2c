// The incident's state inside its workflows: one view, the transitions applied to it, and an outbox
// of evidence and audit records that the workflow hands to an activity. Deterministic: no I/O.
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { AuditStream } from '../src/evidence/streams';
import type { ProposalType } from '../src/gitops/proposal-types';
import { nextTransition, type IncidentState, type Transition } from '../src/incident/lifecycle';
import { attributionSummary, spendSentence } from '../src/incident/attribution';
import type { ActionOutcome, IncidentView, TimelineEntry } from './messages';
import { SafeDeployIncidentState, SafeDeploySeverity } from '../src/temporal/search-attributes';

export interface EvidenceFile {
  name: string;
  content: unknown;
}

export interface AuditRecord {
  stream: AuditStream;
  /** Deterministic per workflow, so a retried activity never appends the same record twice. */
  eventId: string;
  record: Record<string, unknown>;
}

export const SAFEDEPLOY_ACTOR = 'safedeploy';

export class IncidentRecord {
  readonly outcomes = new Map<string, ActionOutcome>();
  /** Proposal types already planned (or found unnecessary): each is planned once per incident. */
  readonly planned = new Set<ProposalType>();
  /** Finds the burn's onset and attributes the rollback to a release (workflows/attribution-flow.ts). */
  attributing = false;
  evidence: EvidenceFile[] = [];
  audit: AuditRecord[] = [];
  /** The workflow id of the last batch of notifications started (the next one is ordered after it). */
  notifier: string | undefined;
  private auditSeq = 0;

  /** @param phase distinguishes the incident and postmortem workflows in audit event ids. */
  constructor(
    readonly view: IncidentView,
    private readonly phase: 'incident' | 'postmortem',
  ) {}

  get state(): IncidentState {
    return this.view.state;
  }

  now(): string {
    return new Date().toISOString();
  }

  /** The first transition: from nothing to detected. */
  detect(reason: string): void {
    this.apply({ from: null, to: 'detected', at: this.now(), actor: SAFEDEPLOY_ACTOR, reason });
  }

  /** Applies a validated transition. */
  transition(to: IncidentState, actor: string, reason: string): void {
    this.apply(nextTransition(this.view.state, to, this.now(), actor, reason));
  }

  /** Records a transition, publishes it to the Web UI and queues its audit record. */
  private apply(t: Transition): void {
    this.view.transitions.push(t);
    this.view.state = t.to;
    this.note('transition', t.actor, `${t.from ?? 'new'} → ${t.to}: ${t.reason}`);
    this.queueAudit('incidents', {
      type: 'transition',
      incidentId: this.view.incidentId,
      service: this.view.service,
      ...t,
    });
    this.publish();
  }

  note(kind: TimelineEntry['kind'], actor: string, message: string): void {
    this.view.timeline.push({ at: this.now(), actor, kind, message });
  }

  queueAudit(stream: AuditStream, record: Record<string, unknown>): void {
    this.audit.push({
      stream,
      eventId: `${this.view.incidentId}:${this.phase}:${++this.auditSeq}`,
      record: { at: this.now(), ...record },
    });
  }

  queueEvidence(name: string, content: unknown): void {
    this.evidence = [...this.evidence.filter((e) => e.name !== name), { name, content }];
  }

  hasOutbox(): boolean {
    return this.evidence.length > 0 || this.audit.length > 0;
  }

  /** Takes the queued records; the caller hands them to the recording activity. */
  drainOutbox(): { evidence: EvidenceFile[]; audit: AuditRecord[] } {
    const out = { evidence: this.evidence, audit: this.audit };
    this.evidence = [];
    this.audit = [];
    return out;
  }

  /** Remembers a human action's outcome for the CLI; a duplicate requestId is recognised by it. */
  answer(requestId: string, accepted: boolean, message: string, final = true): void {
    this.outcomes.set(requestId, { requestId, accepted, message, final });
  }

  /** Search attributes and current details keep the Web UI view of the incident true. */
  publish(): void {
    upsertSearchAttributes([
      { key: SafeDeployIncidentState, value: this.view.state },
      { key: SafeDeploySeverity, value: this.view.severity },
    ]);
    setCurrentDetails(currentDetails(this.view));
  }
}

/** The gate as the pipeline sees it: its mode, and what enforce would answer when that differs. */
function gateDetails(v: IncidentView): string {
  const mode = v.context?.governance.mode;
  const latest = v.latest;
  if (!mode || !latest) return '';
  const would = latest.wouldBe ? ` (enforce would ${latest.wouldBe})` : '';
  return `Gate (governance.mode **${mode}**): ${latest.verdict}${would}`;
}

function currentDetails(v: IncidentView): string {
  const proposals = v.proposals.map(
    (p) =>
      `- ${p.type}: **${p.state}**${p.approvals && p.state === 'pending' ? ` (${p.approvals.given} of ${p.approvals.needed} approvals)` : ''}${p.change ? ` — ${p.change.url}` : ''}`,
  );
  const last = v.transitions[v.transitions.length - 1];
  return [
    `**${v.service}** ${v.kind} incident \`${v.incidentId}\`: **${v.state}** (severity ${v.severity})`,
    last ? `Last transition ${last.at} by ${last.actor}: ${last.reason}` : '',
    gateDetails(v),
    v.attribution ? `Attribution: ${attributionSummary(v.attribution)}` : '',
    ...(v.attribution?.spent ?? []).map((s) => spendSentence(v.attribution!, s)),
    proposals.length > 0 ? `Proposals:\n${proposals.join('\n')}` : 'No proposals.',
  ]
    .filter(Boolean)
    .join('\n\n');
}
