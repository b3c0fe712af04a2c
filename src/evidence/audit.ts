// The audit log: append-only JSONL streams, each line chained to the one before by SHA-256, so any
// edit, deletion or reordering is detected by `safedeploy audit verify`. Appends are serialised by a
// lock file and idempotent by eventId, so a retried activity never writes a record twice.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from './canonical';
import { withFileLock } from './file-lock';
import { redact } from './redact';
import type { AuditStream } from './streams';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  eventId: string;
  [field: string]: unknown;
}

export interface AuditLine extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

interface StreamTail {
  size: number;
  seq: number;
  hash: string;
  eventIds: Set<string>;
}

/** What the process last read of each stream file; reread whenever the file's size differs. */
const tails = new Map<string, StreamTail>();

export function streamPath(dataDir: string, stream: AuditStream): string {
  return path.join(dataDir, 'audit', `${stream}.jsonl`);
}

export function hashLine(line: Omit<AuditLine, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(line)).digest('hex');
}

/** Appends the entries not yet in the stream; returns how many were written. */
export async function appendAudit(
  dataDir: string,
  stream: AuditStream,
  entries: AuditEntry[],
  secrets: readonly string[] = [],
): Promise<number> {
  const file = streamPath(dataDir, stream);
  await mkdir(path.dirname(file), { recursive: true });
  return withFileLock(`${file}.lock`, async () => {
    // Work on a copy: the cache only moves once the lines are really in the file.
    const cached = await readTail(file);
    const tail: StreamTail = { ...cached, eventIds: new Set(cached.eventIds) };
    let text = '';
    for (const entry of entries) {
      if (tail.eventIds.has(entry.eventId)) continue;
      const clean = JSON.parse(redact(JSON.stringify(entry), secrets)) as AuditEntry;
      const body = { ...clean, seq: tail.seq + 1, prevHash: tail.hash };
      const line: AuditLine = { ...body, hash: hashLine(body) };
      text += `${JSON.stringify(line)}\n`;
      tail.seq = line.seq;
      tail.hash = line.hash;
      tail.eventIds.add(entry.eventId);
    }
    if (text === '') return 0;
    try {
      await appendFile(file, text);
    } catch (err) {
      tails.delete(file);
      throw err;
    }
    tail.size += Buffer.byteLength(text);
    tails.set(file, tail);
    return text.split('\n').length - 1;
  });
}

async function readTail(file: string): Promise<StreamTail> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const cached = tails.get(file);
  if (cached && cached.size === size) return cached;
  const tail: StreamTail = { size, seq: 0, hash: GENESIS_HASH, eventIds: new Set() };
  if (size === 0) return tail;
  for (const text of (await readFile(file, 'utf8')).split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as AuditLine;
    tail.seq = line.seq;
    tail.hash = line.hash;
    tail.eventIds.add(line.eventId);
  }
  return tail;
}

export interface VerifyResult {
  stream: AuditStream;
  lines: number;
  /** The first line (1-based) that breaks the chain, and why. */
  broken?: { line: number; reason: string };
}

/** Checks every line's hash, sequence number and link to the line before it. */
export async function verifyStream(dataDir: string, stream: AuditStream): Promise<VerifyResult> {
  const text = await readFile(streamPath(dataDir, stream), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prevHash = GENESIS_HASH;
  for (const [i, raw] of lines.entries()) {
    const reason = lineProblem(raw, i + 1, prevHash);
    if (reason) return { stream, lines: lines.length, broken: { line: i + 1, reason } };
    prevHash = (JSON.parse(raw) as AuditLine).hash;
  }
  return { stream, lines: lines.length };
}

function lineProblem(raw: string, expectedSeq: number, prevHash: string): string | null {
  let line: AuditLine;
  try {
    line = JSON.parse(raw) as AuditLine;
  } catch {
    return 'not valid JSON';
  }
  if (line.seq !== expectedSeq)
    return `seq is ${String(line.seq)}, expected ${expectedSeq} (a line was deleted, inserted or moved)`;
  if (line.prevHash !== prevHash)
    return 'prevHash does not match the previous line (a line was deleted, inserted or moved)';
  const { hash, ...body } = line;
  if (hashLine(body) !== hash) return 'hash does not match the line (the line was edited)';
  return null;
}
