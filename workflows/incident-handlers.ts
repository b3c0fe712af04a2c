// The incident's message handlers. Handlers validate and change state; the workflow's main loop
// performs the effects (activities) that state calls for. Human actions arrive through the action
// protocol (workflows/human-actions.ts): request id, approver, reason and signature are checked there,
// and the state changes here are the only ones a human can cause.
import { setHandler } from '@temporalio/workflow';
import type { ServiceObservation } from '../src/evaluation/observation';
import { canTransition, isActive, type IncidentState } from '../src/incident/lifecycle';
import { acceptedApprovals, approvalRefusal } from '../src/incident/approvals';
import { refusalFor, type ActionRequest, type HumanDecision } from '../src/incident/proposals';
import type { HumanAction } from '../src/signing/statement';
import { isBurning } from '../src/slo/severity';
import {
  approvalPolicy,
  auditAccepted,
  onAction,
  proofFields,
  refuse as refuseAction,
  type ActionBook,
  type ActionRules,
  type Proven,
} from './human-actions';
import type { IncidentRecord } from './incident-record';
import { SAFEDEPLOY_ACTOR } from './incident-record';
import {
  acknowledgeSignal,
  approveSignal,
  incidentQuery,
  mitigateSignal,
  observeSignal,
  outcomeQuery,
  postmortemSignal,
  rejectSignal,
  resolveSignal,
  type IncidentInput,
  type PostmortemRequest,
  type ProposalAction,
} from './messages';

export interface IncidentSession {
  input: IncidentInput;
  /** Undefined until the first observation arrives with signal-with-start. */
  record: IncidentRecord | undefined;
}

export function registerIncidentHandlers(
  session: IncidentSession,
  open: (first: ServiceObservation) => IncidentRecord,
): void {
  setHandler(observeSignal, (o) => {
    if (o.service !== session.input.service) return;
    if (!session.record) session.record = open(o);
    else applyObservation(session.record, o);
  });
  const book = () => session.record && incidentBook(session.record);
  const record = () => session.record!;
  onAction(acknowledgeSignal, book, incidentRules('acknowledge', record), (a, p) =>
    acknowledge(record(), a, p),
  );
  onAction(approveSignal, book, proposalRules('approve', record), (a, p) =>
    decide(record(), a, 'approve', p),
  );
  onAction(rejectSignal, book, proposalRules('reject', record), (a, p) => decide(record(), a, 'reject', p));
  onAction(mitigateSignal, book, incidentRules('mitigate', record), (a, p) =>
    humanTransition(record(), a, 'mitigated', p),
  );
  onAction(resolveSignal, book, incidentRules('resolve', record), (a, p) =>
    humanTransition(record(), a, 'resolved', p),
  );
  onAction(postmortemSignal, book, postmortemRules(record), (a) =>
    refuse(
      record(),
      a,
      'postmortem',
      `incident is ${record().state}; resolve it before recording the postmortem`,
    ),
  );
  setHandler(incidentQuery, () => {
    if (!session.record) throw new Error('incident not detected yet');
    return session.record.view;
  });
  setHandler(outcomeQuery, (requestId) => session.record?.outcomes.get(requestId));
}

/** The incident record as the action protocol sees it: approvals are audited in the approvals stream. */
export function incidentBook(record: IncidentRecord): ActionBook {
  return {
    outcomes: record.outcomes,
    service: record.view.service,
    now: () => record.now(),
    context: () => record.view.context,
    note: (kind, actor, message) => record.note(kind, actor, message),
    audit: (r) => record.queueAudit('approvals', { incidentId: record.view.incidentId, ...r }),
    evidence: (name, content) => record.queueEvidence(name, content),
  };
}

/** Acknowledging is on-call work: anyone whose key is allowed may do it; mitigate and resolve need an approver. */
export function incidentRules(action: HumanAction, record: () => IncidentRecord) {
  return (): ActionRules => ({
    action,
    target: { kind: 'incident', incidentId: record().view.incidentId, service: record().view.service },
    approversOnly: action !== 'acknowledge',
    blankReason: action === 'acknowledge' ? null : 'a reason is required',
  });
}

export function proposalRules(action: 'approve' | 'reject', record: () => IncidentRecord) {
  return (request: ProposalAction): ActionRules => ({
    refused: (refusal) => void recordDecision(record(), request, action, refusal),
    action,
    target: {
      kind: 'proposal',
      incidentId: record().view.incidentId,
      service: record().view.service,
      proposal: request.proposal,
    },
    approversOnly: true,
    blankReason: 'a reason is required',
  });
}

export function postmortemRules(record: () => IncidentRecord) {
  return (request: PostmortemRequest): ActionRules => ({
    action: 'postmortem',
    target: { kind: 'incident', incidentId: record().view.incidentId, service: record().view.service },
    postmortem: { url: request.url, actionItems: request.actionItems },
    approversOnly: false,
    blankReason: null,
  });
}

/** Evaluations may arrive twice or out of order (retries, overlapping runs): only newer ones count. */
export function applyObservation(record: IncidentRecord, o: ServiceObservation): void {
  const v = record.view;
  if (v.latest && o.evaluatedAt <= v.latest.evaluatedAt) return;
  v.latest = o;
  if (o.detail) {
    v.context = o.detail.context;
    v.slos = o.detail.slos;
  }
  const severity =
    v.kind === 'policy' ? (o.violations.length > 0 ? 'policy-violation' : 'normal') : o.severity;
  if (severity === v.severity) return;
  record.note('evaluation', SAFEDEPLOY_ACTOR, `severity ${v.severity} → ${severity} at ${o.evaluatedAt}`);
  v.severity = severity;
  if (v.kind === 'slo' && v.state === 'mitigated' && isBurning(o.severity)) {
    record.note('renewed-burning', SAFEDEPLOY_ACTOR, `${v.service} is ${o.severity} again after mitigation`);
    record.transition('investigating', SAFEDEPLOY_ACTOR, `renewed burning after mitigation (${o.severity})`);
  }
  record.publish();
}

function acknowledge(record: IncidentRecord, request: ActionRequest, proven: Proven): void {
  if (record.state !== 'detected')
    return refuse(record, request, 'acknowledge', `incident is already ${record.state}`);
  record.transition('investigating', request.by, request.reason || 'acknowledged');
  auditAccepted(incidentBook(record), proven, {
    type: 'acknowledged',
    by: request.by,
    reason: request.reason,
  });
  record.answer(request.requestId, true, `acknowledged; ${record.view.incidentId} is investigating`);
}

export function decide(
  record: IncidentRecord,
  request: ProposalAction,
  action: 'approve' | 'reject',
  proven: Proven,
): void {
  const v = record.view;
  const proposal = v.proposals.find((p) => p.id === request.proposal || p.type === request.proposal);
  const policy = approvalPolicy(v.context);
  const refusal =
    refusalFor(proposal, request.proposal, request, v.context?.approvers ?? [], record.now()) ??
    (proposal && action === 'approve' ? approvalRefusal(proposal, request, proven.proof, policy) : null);
  recordDecision(record, request, action, refusal, proven);
  if (refusal !== null || !proposal)
    return refuse(record, request, action, refusal ?? 'unknown proposal', false);
  const given = acceptedApprovals(proposal).length;
  const quorumMet = action === 'reject' || given >= policy.quorum;
  if (policy.quorum > 1 && action === 'approve') proposal.approvals = { given, needed: policy.quorum };
  if (quorumMet) proposal.state = action === 'approve' ? 'approved' : 'rejected';
  const tally = policy.quorum > 1 && action === 'approve' ? ` (${given} of ${policy.quorum} approvals)` : '';
  record.note(
    'approval',
    request.by,
    `${action === 'approve' ? 'approved' : 'rejected'} ${proposal.id}${tally}: ${request.reason}`,
  );
  record.queueAudit('approvals', {
    type: action === 'approve' ? 'approved' : 'rejected',
    proposalId: proposal.id,
    by: request.by,
    reason: request.reason,
    ...(policy.quorum > 1 && action === 'approve' ? { approvals: given, quorum: policy.quorum } : {}),
    ...proofFields(proven),
  });
  if (!quorumMet)
    record.answer(
      request.requestId,
      true,
      `approval ${given} of ${policy.quorum} for ${proposal.id} recorded; waiting for another approver`,
    );
  else if (action === 'approve')
    record.answer(request.requestId, true, `approved ${proposal.id}; opening the change`, false);
  else record.answer(request.requestId, true, `rejected ${proposal.id}`);
  record.publish();
}

/** Keeps a decision on its proposal, accepted or refused, with its evidence file. */
function recordDecision(
  record: IncidentRecord,
  request: ProposalAction,
  action: 'approve' | 'reject',
  refusal: string | null,
  proven?: Proven,
): void {
  const proposal = record.view.proposals.find(
    (p) => p.id === request.proposal || p.type === request.proposal,
  );
  const decision: HumanDecision = {
    requestId: request.requestId,
    action,
    by: request.by,
    reason: request.reason,
    at: record.now(),
    accepted: refusal === null,
    ...(refusal ? { refusal } : {}),
    ...(proven?.proof.signed ? { fingerprint: proven.proof.fingerprint } : proven ? { signed: false } : {}),
  };
  proposal?.decisions.push(decision);
  record.queueEvidence(`approval-${request.requestId}.json`, {
    proposal: proposal?.id ?? request.proposal,
    ...decision,
    ...(proven ? proofFields(proven) : {}),
  });
}

function humanTransition(
  record: IncidentRecord,
  request: ActionRequest,
  to: IncidentState,
  proven: Proven,
): void {
  const action = to === 'resolved' ? 'resolve' : 'mitigate';
  if (!isActive(record.state) || !canTransition(record.state, to))
    return refuse(record, request, action, `incident is ${record.state}`);
  record.transition(to, request.by, request.reason);
  auditAccepted(incidentBook(record), proven, { type: to, by: request.by, reason: request.reason });
  if (to === 'resolved')
    record.queueEvidence('resolution.json', {
      by: request.by,
      reason: request.reason,
      at: record.now(),
      ...proofFields(proven),
    });
  record.answer(request.requestId, true, `${record.view.incidentId} is ${to}`);
}

/** A refusal recorded on the incident; `withEvidence` false when the caller already wrote the decision. */
export function refuse(
  record: IncidentRecord,
  request: ActionRequest,
  action: string,
  refusal: string,
  withEvidence = true,
): void {
  const book = incidentBook(record);
  refuseAction(withEvidence ? book : { ...book, evidence: () => undefined }, request, action, refusal);
}
