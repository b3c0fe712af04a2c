import { AUDIT_STREAMS } from '../src/evidence/streams';
import type { AuditRecord, EvidenceFile } from '../workflows/incident-record';
import type { ActivityDeps } from './index';

export interface RecordInput {
  incidentId: string;
  evidence: EvidenceFile[];
  audit: AuditRecord[];
}

export function createRecordActivities({ store, secrets }: ActivityDeps) {
  return {
    /** Writes evidence files and appends audit records; both are idempotent, so retries are safe. */
    async recordIncidentEvents({ incidentId, evidence, audit }: RecordInput): Promise<void> {
      for (const file of evidence) await store.writeEvidence(incidentId, file.name, file.content, secrets);
      for (const stream of AUDIT_STREAMS) {
        const entries = audit
          .filter((a) => a.stream === stream)
          .map((a) => ({ eventId: a.eventId, ...a.record }));
        if (entries.length > 0) await store.appendAudit(stream, entries, secrets);
      }
    },
  };
}
