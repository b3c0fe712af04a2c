// The one place workflows hand their audit records to notification delivery: the records that are
// news for people become a batch for an abandoned child workflow (workflows/notification.ts). The
// caller only waits for the child to start, never for delivery.
import { ParentClosePolicy, patched, startChild, workflowInfo } from '@temporalio/workflow';
import { notificationsFor, type AuditedEvent, type IncidentSnapshot } from '../src/notify/events';
import { workflowIds, type IncidentView } from './messages';
import { notificationWorkflow } from './notification';

/** Guards the commands notifications add, so histories recorded before them still replay. */
export const NOTIFY_PATCH = 'notify-from-audit-records';

/**
 * Starts delivery of the notifications `audited` calls for; returns the batch's workflow id (the
 * next batch waits for it), or `after` when there was nothing to send.
 */
export async function notifyAudited(
  service: string,
  audited: readonly AuditedEvent[],
  after: string | undefined,
  view?: IncidentView,
): Promise<string | undefined> {
  const workflowId = workflowInfo().workflowId;
  const events = notificationsFor(audited, {
    service,
    workflowId,
    ...(view ? { snapshot: snapshotOf(view) } : {}),
  });
  if (events.length === 0 || !patched(NOTIFY_PATCH)) return after;
  const batchId = workflowIds.notificationBatch(events[0]!.id);
  try {
    await startChild(notificationWorkflow, {
      workflowId: batchId,
      args: [{ service, events, ...(after ? { after } : {}) }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `Notify: ${events.map((e) => e.kind).join(', ')} (${service})`,
    });
  } catch {
    // Already started (the same records notified before) or refused: never a reason to fail the caller.
    return after;
  }
  return batchId;
}

function snapshotOf(view: IncidentView): IncidentSnapshot {
  return {
    incident: {
      id: view.incidentId,
      kind: view.kind,
      state: view.state,
      severity: view.severity,
      detectedAt: view.detectedAt,
    },
    slos: view.slos ?? [],
    proposals: view.proposals,
  };
}
