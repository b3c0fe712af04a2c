import { notifyAudited } from './notify';
import { recording } from './proxies';
import type { IncidentRecord } from './incident-record';

/**
 * Hands the queued evidence and audit records to the recording activity (idempotent by eventId),
 * then starts notifying people of the records that concern them (without waiting for delivery).
 */
export async function flush(record: IncidentRecord): Promise<void> {
  if (!record.hasOutbox()) return;
  const { evidence, audit } = record.drainOutbox();
  await recording.recordIncidentEvents.executeWithOptions(
    { summary: `record ${evidence.length} evidence files and ${audit.length} audit entries` },
    [{ incidentId: record.view.incidentId, evidence, audit }],
  );
  record.notifier = await notifyAudited(record.view.service, audit, record.notifier, record.view);
}
