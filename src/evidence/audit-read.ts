// Reading an audit stream back, for reports. Lines are returned as written; `audit verify` is what
// checks the chain, so a report over a tampered stream is only as good as its verification.
import { readFile } from 'node:fs/promises';
import { streamPath, type AuditLine } from './audit';
import type { AuditStream } from './streams';

/** Every line of a stream, oldest first; [] when the stream has never been written. */
export async function readAuditStream(dataDir: string, stream: AuditStream): Promise<AuditLine[]> {
  const text = await readFile(streamPath(dataDir, stream), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditLine);
}
