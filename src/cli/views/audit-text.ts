// `audit verify` as text: one line per stream, OK or the first broken line and why.
import type { VerifyResult } from '../../evidence/audit';
import type { SafeDeployStore } from '../../store/store';
import { plural } from '../output';

/** The stream as operators find it: its file relative to the data directory, or its name in the database. */
export function auditLabel(stream: string, kind: SafeDeployStore['kind'] = 'files'): string {
  return kind === 'files' ? `audit/${stream}.jsonl` : `stream ${stream}`;
}

export function renderAuditVerification(
  results: VerifyResult[],
  kind: SafeDeployStore['kind'] = 'files',
): string {
  const width = Math.max(...results.map((r) => auditLabel(r.stream, kind).length));
  const lines = results.map((r) => {
    const label = auditLabel(r.stream, kind).padEnd(width);
    if (r.broken) return `${label}  BROKEN at line ${r.broken.line}: ${r.broken.reason}`;
    const ok = `${label}  ${plural(r.lines, 'line').padStart(10)}  OK`;
    return r.note ? `${ok} (note: ${r.note})` : ok;
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
