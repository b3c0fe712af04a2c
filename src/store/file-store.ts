// The embedded default: evidence and audit as files under the data directory (src/evidence/).
import {
  appendAudit,
  readStreamHead,
  readStreamLines,
  recordedEventIds,
  streamsOnDisk,
  verifyStream,
} from '../evidence/audit';
import type { AuditEntry } from '../evidence/chain';
import { writeEvidence } from '../evidence/store';
import type { ChainHead, SafeDeployStore } from './store';

export function fileStore(dataDir: string): SafeDeployStore {
  return {
    kind: 'files',
    location: dataDir,
    writeEvidence: (incidentId: string, name: string, content: unknown, secrets?: readonly string[]) =>
      writeEvidence(dataDir, incidentId, name, content, secrets),
    appendAudit: (stream: string, entries: AuditEntry[], secrets?: readonly string[]) =>
      appendAudit(dataDir, stream, entries, secrets),
    verifyStream: (stream: string, checkpoint?: ChainHead) => verifyStream(dataDir, stream, checkpoint),
    listStreams: () => streamsOnDisk(dataDir),
    // audit/<stream>.head.json: it may lag the last line after a crash (src/evidence/audit.ts).
    readHead: (stream: string) => readStreamHead(dataDir, stream),
    readLines: (stream: string) => readStreamLines(dataDir, stream),
    recordedEventIds: (stream: string, eventIds: readonly string[]) =>
      recordedEventIds(dataDir, stream, eventIds),
    close: () => Promise.resolve(),
  };
}
