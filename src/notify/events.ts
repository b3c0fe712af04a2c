// What SafeDeploy tells people, as data: one notification event per audit record that a human may
// have to act on (a transition, a proposal, a decision, a change, a freeze, a reminder). The event id
// is the audit record's deterministic eventId, so a retried or replayed send is recognised.
import type { SloDigest } from '../evaluation/observation';
import type { ProposalType } from '../gitops/proposal-types';
import type { ChangeRef, Proposal } from '../incident/proposals';

export const NOTIFICATION_KINDS = [
  'incident-transition',
  'proposal-created',
  'proposal-approved',
  'proposal-rejected',
  'action-refused',
  'change-opened',
  'change-merged',
  'freeze-started',
  'freeze-lifted',
  'freeze-expired',
  'postmortem-reminder',
  'test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface IncidentSummary {
  id: string;
  kind: 'slo' | 'policy';
  state: string;
  severity: string;
  detectedAt: string;
}

export interface NotificationEvent {
  /** Deterministic: the audit record's eventId (or a test id). */
  id: string;
  kind: NotificationKind;
  occurredAt: string;
  service: string;
  /** One line, for chat fallbacks and pager summaries. */
  summary: string;
  /** The workflow the Web UI link opens. */
  workflowId: string;
  incident?: IncidentSummary;
  /** SLOs with burn rates and budget left, as last evaluated. */
  slos?: SloDigest[];
  transition?: { from: string | null; to: string; actor: string; reason: string };
  proposal?: {
    id: string;
    type: ProposalType;
    state: string;
    rationale: string;
    expiresAt: string;
    target?: { sha: string; date: string };
  };
  change?: ChangeRef;
  actor?: { by: string; reason: string; refusal?: string };
  freeze?: { until: string | null };
}

/** An audit record as the workflows queue it (workflows/incident-record.ts AuditRecord). */
export interface AuditedEvent {
  stream: string;
  eventId: string;
  record: Record<string, unknown>;
}

/** The incident as the workflow knows it when the record is queued. */
export interface IncidentSnapshot {
  incident: IncidentSummary;
  slos: SloDigest[];
  proposals: Proposal[];
}

export interface NotificationSource {
  service: string;
  workflowId: string;
  snapshot?: IncidentSnapshot;
}

type Mapping = (
  r: Record<string, unknown>,
  s: NotificationSource,
) => Partial<NotificationEvent> & {
  kind: NotificationKind;
  summary: string;
};

const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

/** stream → record type → how it reads as a notification; anything else is not notified. */
const MAPPINGS: Record<string, Record<string, Mapping>> = {
  incidents: {
    transition: (r, s) => ({
      kind: 'incident-transition',
      summary: `${s.service} incident ${s.snapshot?.incident.id ?? ''} is ${str(r.to)}: ${str(r.reason)}`,
      transition: {
        from: r.from === null ? null : str(r.from),
        to: str(r.to),
        actor: str(r.actor),
        reason: str(r.reason),
      },
    }),
    'postmortem-reminder': (r, s) => ({
      kind: 'postmortem-reminder',
      summary: `${s.service} incident ${s.snapshot?.incident.id ?? ''} still has no postmortem (reminder ${str(r.reminder)})`,
    }),
  },
  proposals: {
    proposed: (r, s) => ({
      kind: 'proposal-created',
      summary: `SafeDeploy proposes ${str(r.proposal)} for ${s.service}; an approver must approve it`,
      proposalId: str(r.proposalId),
    }),
    'change-opened': (r, s) => ({
      kind: 'change-opened',
      summary: `${s.service}: change opened for ${str(r.proposalId)}`,
      proposalId: str(r.proposalId),
    }),
    'change-merged': (r, s) => ({
      kind: 'change-merged',
      summary: `${s.service}: change for ${str(r.proposalId)} merged`,
      proposalId: str(r.proposalId),
    }),
  },
  approvals: {
    approved: (r, s) => ({
      kind: 'proposal-approved',
      summary: `${str(r.by)} approved ${str(r.proposalId)} for ${s.service}`,
      proposalId: str(r.proposalId),
      actor: { by: str(r.by), reason: str(r.reason) },
    }),
    rejected: (r, s) => ({
      kind: 'proposal-rejected',
      summary: `${str(r.by)} rejected ${str(r.proposalId)} for ${s.service}`,
      proposalId: str(r.proposalId),
      actor: { by: str(r.by), reason: str(r.reason) },
    }),
    refused: (r, s) => ({
      kind: 'action-refused',
      summary: `${s.service}: ${str(r.action)} by ${str(r.by)} refused: ${str(r.refusal)}`,
      actor: { by: str(r.by), reason: str(r.reason), refusal: str(r.refusal) },
    }),
  },
  governance: {
    frozen: (_r, s) => ({
      kind: 'freeze-started',
      summary: `${s.service} is frozen: its error budget is exhausted`,
      freeze: { until: null },
    }),
    'freeze-lifted': (r, s) => ({
      kind: 'freeze-lifted',
      summary: `${str(r.by)} lifted the freeze of ${s.service}: ${str(r.reason)}`,
      actor: { by: str(r.by), reason: str(r.reason) },
    }),
    'freeze-expired': (r, s) => ({
      kind: 'freeze-expired',
      summary: `the freeze of ${s.service} ended (${str(r.until)})`,
      freeze: { until: str(r.until) },
    }),
  },
};

/** The notification an audit record calls for, or null when it is not news for people. */
export function notificationFor(audited: AuditedEvent, source: NotificationSource): NotificationEvent | null {
  const map = MAPPINGS[audited.stream]?.[str(audited.record.type)];
  if (!map) return null;
  const { proposalId, ...mapped } = map(audited.record, source) as ReturnType<Mapping> & {
    proposalId?: string;
  };
  const snapshot = source.snapshot;
  const proposal = proposalId ? snapshot?.proposals.find((p) => p.id === proposalId) : undefined;
  return {
    id: audited.eventId,
    occurredAt: str(audited.record.at),
    service: source.service,
    workflowId: source.workflowId,
    ...mapped,
    ...(snapshot ? { incident: snapshot.incident, slos: snapshot.slos } : {}),
    ...(proposal ? { proposal: proposalSummary(proposal) } : {}),
    ...(proposal?.change ? { change: proposal.change } : {}),
  };
}

/** Every notification a batch of audit records calls for, in order. */
export function notificationsFor(
  audited: readonly AuditedEvent[],
  source: NotificationSource,
): NotificationEvent[] {
  return audited.flatMap((a) => notificationFor(a, source) ?? []);
}

function proposalSummary(p: Proposal): NonNullable<NotificationEvent['proposal']> {
  return {
    id: p.id,
    type: p.type,
    state: p.state,
    rationale: p.rationale,
    expiresAt: p.expiresAt,
    ...(p.target ? { target: p.target } : {}),
  };
}
