// `safedeploy db import`: moves a file store (evidence and audit under a data directory) into
// PostgreSQL. Lines are copied as they are, hashes included, so the chain verifies the same after
// the move; a re-run copies only what is missing and refuses a stream that has diverged.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditLine, VerifyResult } from '../evidence/chain';
import { fileStore } from './file-store';
import { lockHead, insertLines } from './postgres/audit';
import { insertEvidenceIfAbsent } from './postgres/evidence';
import { inTransaction, retryConnection } from './postgres/pool';
import type { PostgresStore } from './postgres/store';

export interface StreamImport {
  stream: string;
  lines: number;
  imported: number;
}

export interface ImportReport {
  streams: StreamImport[];
  evidence: { files: number; imported: number; alreadyPresent: number; differing: string[] };
  verification: VerifyResult[];
}

export class ImportRefused extends Error {}

export async function importFileStore(
  dataDir: string,
  target: PostgresStore,
  progress: (line: string) => void,
): Promise<ImportReport> {
  const source = fileStore(dataDir);
  const streams: StreamImport[] = [];
  for (const stream of await source.listStreams()) {
    const checked = await source.verifyStream(stream);
    if (checked.broken)
      throw new ImportRefused(
        `audit/${stream}.jsonl line ${checked.broken.line} is broken (${checked.broken.reason}): nothing imported from it`,
      );
    const lines = await source.readLines(stream);
    const imported = await importStream(target, stream, lines);
    progress(`audit ${stream}: ${lines.length} lines, ${imported} imported`);
    streams.push({ stream, lines: lines.length, imported });
  }
  const evidence = await importEvidence(dataDir, target, progress);
  const verification: VerifyResult[] = [];
  for (const { stream } of streams) verification.push(await target.verifyStream(stream));
  return { streams, evidence, verification };
}

/** Copies the lines the database does not have yet; the ones it has must be the file's own. */
async function importStream(
  target: PostgresStore,
  stream: string,
  lines: readonly AuditLine[],
): Promise<number> {
  return retryConnection(() =>
    inTransaction(target.pool, async (client) => {
      const head = await lockHead(client, stream);
      const atHead = lines[head.seq - 1];
      if (head.seq > lines.length || (head.seq > 0 && atHead?.hash !== head.hash))
        throw new ImportRefused(
          `audit stream "${stream}" in the database (seq ${head.seq}) is not a copy of audit/${stream}.jsonl ` +
            `(${lines.length} lines): it has records of its own; import into an empty database`,
        );
      const missing = lines.slice(head.seq);
      await insertLines(
        client,
        stream,
        missing.map((line) => ({ line, json: JSON.stringify(line) })),
      );
      return missing.length;
    }),
  );
}

async function importEvidence(
  dataDir: string,
  target: PostgresStore,
  progress: (line: string) => void,
): Promise<ImportReport['evidence']> {
  const root = path.join(dataDir, 'evidence');
  const result: ImportReport['evidence'] = { files: 0, imported: 0, alreadyPresent: 0, differing: [] };
  const incidents = await readdir(root).catch(() => [] as string[]);
  for (const incidentId of incidents.sort()) {
    const names = (await readdir(path.join(root, incidentId)).catch(() => [] as string[])).filter((n) =>
      n.endsWith('.json'),
    );
    for (const name of names.sort()) {
      const text = await readFile(path.join(root, incidentId, name), 'utf8');
      const outcome = await insertEvidenceIfAbsent(target.pool, incidentId, name, text);
      result.files++;
      if (outcome === 'inserted') result.imported++;
      else if (outcome === 'same') result.alreadyPresent++;
      else result.differing.push(`${incidentId}/${name}`);
    }
    progress(`evidence ${incidentId}: ${names.length} files`);
  }
  return result;
}
