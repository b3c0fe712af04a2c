// The incident's message handlers. Handlers validate and change state; the workflow's main loop
// performs the effects (activities) that state calls for. Every human action is answered with an
// outcome the CLI polls by requestId, and a refused action changes nothing but the record.
import { setHandler } from '@temporalio/workflow';
import type { ServiceObservation } from '../src/evaluation/observation';
import { canTransition, isActive, type IncidentState } from '../src/incident/lifecycle';
import { REQUEST_ID, refusalFor, type ActionRequest, type HumanDecision } from '../src/incident/proposals';
import { isBurning } from '../src/slo/severity';
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
  const withRecord =
    <A extends ActionRequest>(handle: (record: IncidentRecord, request: A) => void) =>
    (request: A) => {
      const record = session.record;
      if (record && REQUEST_ID.test(request.requestId) && !record.outcomes.has(request.requestId))
        handle(record, request);
    };
  setHandler(acknowledgeSignal, withRecord(acknowledge));
  setHandler(
    approveSignal,
    withRecord((r, a: ProposalAction) => decide(r, a, 'approve')),
  );
  setHandler(
    rejectSignal,
    withRecord((r, a: ProposalAction) => decide(r, a, 'reject')),
  );
  setHandler(
    mitigateSignal,
    withRecord((r, a: ActionRequest) => humanTransition(r, a, 'mitigated')),
  );
  setHandler(
    resolveSignal,
    withRecord((r, a: ActionRequest) => humanTransition(r, a, 'resolved')),
  );
  setHandler(
    postmortemSignal,
    withRecord((r, a: ActionRequest) =>
      refuse(r, a, 'postmortem', `incident is ${r.state}; resolve it before recording the postmortem`),
    ),
  );
  setHandler(incidentQuery, () => {
    if (!session.record) throw new Error('incident not detected yet');
    return session.record.view;
  });
  setHandler(outcomeQuery, (requestId) => session.record?.outcomes.get(requestId));
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

function acknowledge(record: IncidentRecord, request: ActionRequest): void {
  if (record.state !== 'detected')
    return refuse(record, request, 'acknowledge', `incident is already ${record.state}`);
  record.transition('investigating', request.by, request.reason || 'acknowledged');
  record.answer(request.requestId, true, `acknowledged; ${record.view.incidentId} is investigating`);
}

export function decide(record: IncidentRecord, request: ProposalAction, action: 'approve' | 'reject'): void {
  const v = record.view;
  const proposal = v.proposals.find((p) => p.id === request.proposal || p.type === request.proposal);
  const refusal = refusalFor(proposal, request.proposal, request, v.context?.approvers ?? [], record.now());
  const decision: HumanDecision = {
    requestId: request.requestId,
    action,
    by: request.by,
    reason: request.reason,
    at: record.now(),
    accepted: refusal === null,
    ...(refusal ? { refusal } : {}),
  };
  proposal?.decisions.push(decision);
  record.queueEvidence(`approval-${request.requestId}.json`, {
    proposal: proposal?.id ?? request.proposal,
    ...decision,
  });
  if (refusal !== null || !proposal)
    return refuse(record, request, action, refusal ?? 'unknown proposal', false);
  proposal.state = action === 'approve' ? 'approved' : 'rejected';
  record.note(
    'approval',
    request.by,
    `${action === 'approve' ? 'approved' : 'rejected'} ${proposal.id}: ${request.reason}`,
  );
  record.queueAudit('approvals', {
    type: action === 'approve' ? 'approved' : 'rejected',
    proposalId: proposal.id,
    by: request.by,
    reason: request.reason,
  });
  if (action === 'approve')
    record.answer(request.requestId, true, `approved ${proposal.id}; opening the change`, false);
  else record.answer(request.requestId, true, `rejected ${proposal.id}`);
  record.publish();
}

function humanTransition(record: IncidentRecord, request: ActionRequest, to: IncidentState): void {
  const approvers = record.view.context?.approvers ?? [];
  const action = to === 'resolved' ? 'resolve' : 'mitigate';
  if (!approvers.includes(request.by))
    return refuse(record, request, action, `${request.by} is not an approver of ${record.view.service}`);
  if (request.reason.trim() === '') return refuse(record, request, action, 'a reason is required');
  if (!isActive(record.state) || !canTransition(record.state, to))
    return refuse(record, request, action, `incident is ${record.state}`);
  record.transition(to, request.by, request.reason);
  if (to === 'resolved')
    record.queueEvidence('resolution.json', { by: request.by, reason: request.reason, at: record.now() });
  record.answer(request.requestId, true, `${record.view.incidentId} is ${to}`);
}

export function refuse(
  record: IncidentRecord,
  request: ActionRequest,
  action: string,
  refusal: string,
  withEvidence = true,
): void {
  record.note('refusal', request.by, `${action} refused: ${refusal}`);
  record.queueAudit('approvals', {
    type: 'refused',
    action,
    incidentId: record.view.incidentId,
    by: request.by,
    reason: request.reason,
    refusal,
  });
  if (withEvidence)
    record.queueEvidence(`approval-${request.requestId}.json`, {
      action,
      by: request.by,
      reason: request.reason,
      at: record.now(),
      accepted: false,
      refusal,
    });
  record.answer(request.requestId, false, `refused: ${refusal}`);
}
