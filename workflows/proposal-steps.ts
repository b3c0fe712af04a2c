// Proposal creation and the evidence a change carries, as pure steps of the incident workflow.
import type { ChangeEvidence } from '../src/gitops/pr-body';
import type { ProposalType } from '../src/gitops/proposal-types';
import { proposalId, type HumanDecision, type Proposal } from '../src/incident/proposals';
import { SAFEDEPLOY_ACTOR, type IncidentRecord } from './incident-record';
import type { IncidentKind, IncidentView } from './messages';

/** SLO incidents roll back; policy incidents block promotion. */
export function primaryProposalType(kind: IncidentKind): ProposalType {
  return kind === 'policy' ? 'block-promotion' : 'rollback-rollout';
}

const RATIONALE: Record<ProposalType, (v: IncidentView) => string> = {
  'rollback-rollout': (v) =>
    `${v.service} is ${v.severity}; restore the images of the last revision seen healthy`,
  'block-promotion': (v) =>
    v.kind === 'policy'
      ? `${v.service} violates the catalog policy (${v.latest?.violations.join(', ') ?? 'unknown'}); pause the canary`
      : `${v.service} is ${v.severity} while its canary is in progress; pause the canary`,
  'promote-canary': (v) => `${v.service} is healthy again; resume the paused canary`,
};

/** Adds a pending proposal to the incident, with its evidence, audit record and a note. */
export function addProposal(
  record: IncidentRecord,
  type: ProposalType,
  ttlMs: number,
  target?: Proposal['target'],
  rationale?: string,
): Proposal {
  const proposal = newProposal(record, type, ttlMs, target, rationale);
  const v = record.view;
  v.proposals.push(proposal);
  record.note(
    'proposal',
    SAFEDEPLOY_ACTOR,
    `proposed ${type} (${proposal.rationale}); expires ${proposal.expiresAt}`,
  );
  record.queueEvidence(`proposal-${type}.json`, proposal);
  record.queueAudit('proposals', {
    type: 'proposed',
    proposalId: proposal.id,
    proposal: type,
    service: v.service,
    target: target ?? null,
  });
  record.publish();
  return proposal;
}

function newProposal(
  record: IncidentRecord,
  type: ProposalType,
  ttlMs: number,
  target?: Proposal['target'],
  rationale?: string,
): Proposal {
  const now = record.now();
  const sequence = record.view.proposals.filter((p) => p.type === type).length + 1;
  return {
    id: proposalId(record.view.incidentId, type, sequence),
    type,
    incidentId: record.view.incidentId,
    service: record.view.service,
    state: 'pending',
    createdAt: now,
    expiresAt: new Date(Date.parse(now) + ttlMs).toISOString(),
    rationale: rationale ?? RATIONALE[type](record.view),
    ...(target ? { target } : {}),
    decisions: [],
  };
}

/** What the pull request body shows the reviewer. */
export function proposalBody(
  view: IncidentView,
  proposal: Proposal,
  approval: HumanDecision,
): ChangeEvidence {
  const slos = view.slos ?? [];
  return {
    incidentId: view.incidentId,
    service: view.service,
    proposalType: proposal.type,
    severity: view.severity,
    slos: slos.map((s) => ({
      name: s.name,
      objective: s.objective,
      window: s.window,
      severity: s.severity,
      errorBudget: { remaining: s.remaining },
      burnRates: s.burnRates,
    })),
    approval: { approver: approval.by, reason: approval.reason, approvedAt: approval.at },
    ...(view.latest ? { evaluatedAt: view.latest.evaluatedAt } : {}),
    ...(proposal.target ? { rollbackTarget: proposal.target } : {}),
    ...(proposal.target?.base && view.attribution ? { attribution: view.attribution } : {}),
  };
}
