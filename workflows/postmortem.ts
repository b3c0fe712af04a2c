// A resolved incident awaiting its postmortem. It runs under its own workflow id, so the service's
// incident id is free for a new incident meanwhile; it reminds until the postmortem is recorded.
import { CancellationScope, condition, setHandler } from '@temporalio/workflow';
import type { ActionRequest } from '../src/incident/proposals';
import { auditAccepted, onAction, proofFields, type Proven } from './human-actions';
import { IncidentRecord, SAFEDEPLOY_ACTOR } from './incident-record';
import {
  decide,
  incidentBook,
  incidentRules,
  postmortemRules,
  proposalRules,
  refuse,
} from './incident-handlers';
import { expireProposals, nextDeadline, openApproved } from './proposal-flow';
import {
  acknowledgeSignal,
  approveSignal,
  incidentQuery,
  mitigateSignal,
  outcomeQuery,
  postmortemSignal,
  rejectSignal,
  resolveSignal,
  type IncidentTimings,
  type IncidentView,
  type PostmortemRequest,
  type ProposalAction,
} from './messages';
import { flush } from './outbox';

export interface PostmortemInput {
  view: IncidentView;
  timings: IncidentTimings;
}

export async function postmortemWorkflow({ view, timings }: PostmortemInput): Promise<IncidentView> {
  const record = new IncidentRecord(view, 'postmortem');
  const book = () => incidentBook(record);
  const current = () => record;
  onAction(postmortemSignal, book, postmortemRules(current), (request, proven) =>
    recordPostmortem(record, request, proven),
  );
  // A promote-canary proposal made at resolution is still approved or rejected here.
  onAction(approveSignal, book, proposalRules('approve', current), (request, proven) =>
    decideAfterResolution(record, request, 'approve', proven),
  );
  onAction(rejectSignal, book, proposalRules('reject', current), (request, proven) =>
    decideAfterResolution(record, request, 'reject', proven),
  );
  for (const [signal, action] of [
    [acknowledgeSignal, 'acknowledge'],
    [mitigateSignal, 'mitigate'],
    [resolveSignal, 'resolve'],
  ] as const) {
    onAction(signal, book, incidentRules(action, current), (request: ActionRequest) =>
      refuse(record, request, action, `incident is ${record.state}`),
    );
  }
  setHandler(incidentQuery, () => record.view);
  setHandler(outcomeQuery, (requestId) => record.outcomes.get(requestId));
  record.publish();

  let reminders = 0;
  let nextReminder = Date.parse(record.now()) + timings.postmortemReminderMs;
  const watchers = new CancellationScope();
  const approved = () => record.view.proposals.some((p) => p.state === 'approved');
  const complete = () => record.state === 'postmortem-complete';
  while (!complete()) {
    await flush(record);
    await openApproved(record, watchers, timings);
    expireProposals(record);
    const wait = Math.max(1, Math.min(nextReminder - Date.parse(record.now()), nextDeadline(record)));
    await condition(() => complete() || record.hasOutbox() || approved(), wait, {
      summary: 'wait for the postmortem (reminding the owners)',
    });
    if (!complete() && Date.parse(record.now()) >= nextReminder) {
      nextReminder = Date.parse(record.now()) + timings.postmortemReminderMs;
      reminders++;
      record.note('reminder', SAFEDEPLOY_ACTOR, `postmortem still missing (reminder ${reminders})`);
      record.queueAudit('incidents', {
        type: 'postmortem-reminder',
        incidentId: view.incidentId,
        service: view.service,
        reminder: reminders,
      });
    }
  }
  watchers.cancel();
  await flush(record);
  return record.view;
}

function recordPostmortem(record: IncidentRecord, request: PostmortemRequest, proven: Proven): void {
  if (record.state !== 'resolved')
    return refuse(record, request, 'postmortem', `incident is ${record.state}`);
  if (!/^https?:\/\/\S+$/.test(request.url))
    return refuse(
      record,
      request,
      'postmortem',
      `"${request.url}" is not an http(s) link to the postmortem document`,
    );
  const postmortem = { url: request.url, actionItems: request.actionItems, by: request.by, at: record.now() };
  record.view.postmortem = postmortem;
  record.queueEvidence('postmortem.json', { ...postmortem, reason: request.reason, ...proofFields(proven) });
  auditAccepted(incidentBook(record), proven, {
    type: 'postmortem',
    by: request.by,
    reason: request.reason,
    url: request.url,
  });
  record.note(
    'postmortem',
    request.by,
    `postmortem recorded: ${request.url} (${request.actionItems.length} action items)`,
  );
  record.transition('postmortem-complete', request.by, request.reason || 'postmortem recorded');
  record.answer(
    request.requestId,
    true,
    `postmortem recorded; ${record.view.incidentId} is postmortem-complete`,
  );
}

/** Only a promotion is still decided after resolution: a rollback for a healthy service is stale. */
function decideAfterResolution(
  record: IncidentRecord,
  request: ProposalAction,
  action: 'approve' | 'reject',
  proven: Proven,
): void {
  const proposal = record.view.proposals.find(
    (p) => p.id === request.proposal || p.type === request.proposal,
  );
  if (proposal && proposal.type !== 'promote-canary') {
    return refuse(record, request, action, `incident is ${record.state}; ${proposal.type} no longer applies`);
  }
  decide(record, request, action, proven);
}
