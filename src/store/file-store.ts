// The embedded default: evidence and audit as files under the data directory (src/evidence/).
import { appendAudit, readStreamLines, streamsOnDisk, verifyStream } from '../evidence/audit';
import type { AuditEntry } from '../evidence/chain';
import { writeEvidence } from '../evidence/store';
import type { SafeDeployStore } from './store';

export function fileStore(dataDir: string): SafeDeployStore {
  return {
    kind: 'files',
    location: dataDir,
    writeEvidence: (incidentId: string, name: string, content: unknown, secrets?: readonly string[]) =>
      writeEvidence(dataDir, incidentId, name, content, secrets),
    appendAudit: (stream: string, entries: AuditEntry[], secrets?: readonly string[]) =>
      appendAudit(dataDir, stream, entries, secrets),
    verifyStream: (stream: string) => verifyStream(dataDir, stream),
    listStreams: () => streamsOnDisk(dataDir),
    // Files keep no anchor apart from the lines yet.
    readHead: () => Promise.resolve(undefined),
    readLines: (stream: string) => readStreamLines(dataDir, stream),
    close: () => Promise.resolve(),
  };
}
