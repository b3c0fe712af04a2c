// `audit verify` as text: one line per stream, OK or the first broken line and why.
import type { VerifyResult } from '../../evidence/audit';
import type { AuditStream } from '../../evidence/streams';
import { plural } from '../output';

/** The stream's file relative to the data directory, as operators see it on disk. */
export function auditLabel(stream: AuditStream): string {
  return `audit/${stream}.jsonl`;
}

export function renderAuditVerification(results: VerifyResult[]): string {
  const width = Math.max(...results.map((r) => auditLabel(r.stream).length));
  const lines = results.map((r) => {
    const label = auditLabel(r.stream).padEnd(width);
    if (r.broken) return `${label}  BROKEN at line ${r.broken.line}: ${r.broken.reason}`;
    return `${label}  ${plural(r.lines, 'line').padStart(10)}  OK`;
  });
  const total = results.reduce((sum, r) => sum + r.lines, 0);
  const broken = results.filter((r) => r.broken).length;
  lines.push(
    broken === 0
      ? `OK: ${plural(results.length, 'stream')}, ${plural(total, 'line')} verified`
      : `BROKEN: ${plural(broken, 'stream')} failed verification`,
  );
  return `${lines.join('\n')}\n`;
}
