// The audit log in files: one append-only JSONL stream per file under DATA_DIR/audit, each line
// chained to the one before (src/evidence/chain.ts), so any edit, deletion or reordering is detected
// by `safedeploy audit verify`. Appends are serialised by a lock file and idempotent by eventId, so a
// retried activity never writes a record twice.
import { appendFile, mkdir, open, readFile, readdir, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from '../lock/file-lock';
import { HEAD_SUFFIX, headLabel, readHeadFile, writeHeadFile } from './audit-head';
import {
  chainEntries,
  GENESIS_HASH,
  verifyChain,
  type AuditEntry,
  type ChainAnchor,
  type ChainTail,
  type AuditLine,
  type ChainedLine,
  type VerifyResult,
} from './chain';
import { errorMessage } from '../errors';

export { GENESIS_HASH, hashLine, type AuditEntry, type AuditLine, type VerifyResult } from './chain';

interface StreamTail {
  size: number;
  seq: number;
  hash: string;
  /** Every id in the stream, or none when only its last line was read (an append of fresh ids). */
  eventIds: Set<string> | undefined;
}

/** What the process last read of each stream file; reread whenever the file's size differs. */
const tails = new Map<string, StreamTail>();
/** Streams whose last append here failed: their next append reads every id, whatever it appends. */
const failed = new Set<string>();

export function streamPath(dataDir: string, stream: string): string {
  return path.join(dataDir, 'audit', `${stream}.jsonl`);
}

export interface AppendOptions {
  /**
   * Every entry's id is new (random, as each gate answer's record has), offered again only to retry an
   * append of it that failed. The stream's ids are then neither read nor kept: a gate answer each would
   * grow the process by their size for as long as it runs, and the first append after a start would
   * read the whole stream. Only the last line is read, for the chain to continue from it; after a failed
   * append the next one reads every id, so the retry still skips what reached the file.
   */
  freshIds?: boolean;
}

/** Appends the entries not yet in the stream; returns how many were written. */
export async function appendAudit(
  dataDir: string,
  stream: string,
  entries: AuditEntry[],
  secrets: readonly string[] = [],
  options: AppendOptions = {},
): Promise<number> {
  const file = streamPath(dataDir, stream);
  await mkdir(path.dirname(file), { recursive: true });
  return withFileLock(`${file}.lock`, async () => {
    const allIds = !options.freshIds || failed.has(file);
    const tail = await readTail(file, allIds);
    const chained = chainEntries(tail, entries, tail.eventIds ?? NO_IDS, secrets);
    if (chained.length === 0) return 0;
    const text = chained.map((c) => `${c.json}\n`).join('');
    const last = (chained[chained.length - 1] as ChainedLine).line;
    try {
      await appendFile(file, text);
      // After the lines: a crash in between leaves the head behind the chain, which verifies (the
      // head must be on the chain, not at its end) and is moved by the next append.
      await writeHeadFile(dataDir, stream, { seq: last.seq, hash: last.hash });
    } catch (err) {
      tails.delete(file);
      failed.add(file);
      throw err;
    }
    failed.delete(file);
    // The cache only moves once the lines are really in the file (a failed append dropped it above).
    // Its id set grows in place: a copy per append would cost the stream's length each time.
    const eventIds = options.freshIds ? undefined : (tail.eventIds ?? new Set<string>());
    if (eventIds) for (const c of chained) eventIds.add(c.line.eventId);
    tails.set(file, { size: tail.size + Buffer.byteLength(text), seq: last.seq, hash: last.hash, eventIds });
    return chained.length;
  });
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The ids among `eventIds` that the stream holds. Under the append lock, from the same cached tail an
 * append uses: the file is read again only when another process has appended since.
 */
export async function recordedEventIds(
  dataDir: string,
  stream: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  const file = streamPath(dataDir, stream);
  const present = await stat(file).then(
    () => true,
    () => false,
  );
  // No stream yet: nothing recorded, and no lock to take (its directory may not exist).
  if (eventIds.length === 0 || !present) return new Set();
  const tail = await withFileLock(`${file}.lock`, () => readTail(file, true));
  const ids = tail.eventIds ?? NO_IDS;
  return new Set(eventIds.filter((id) => ids.has(id)));
}

/**
 * The stream's end (size, last seq and hash) and, with `allIds`, every id in it. A writer killed
 * mid-append leaves a partial last line, never acknowledged to its caller (the activity or buffer
 * retries it): it is cut off here, under the lock, so the chain continues from the last whole line.
 */
async function readTail(file: string, allIds: boolean): Promise<StreamTail> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const cached = tails.get(file);
  if (cached && cached.size === size && (cached.eventIds || !allIds)) return cached;
  const tail: StreamTail = { size, seq: 0, hash: GENESIS_HASH, eventIds: allIds ? new Set() : undefined };
  if (size === 0) return tail;
  const end = allIds ? undefined : await lastLine(file, size);
  if (end) {
    tail.size = end.complete; // a torn line after it is gone already
    if (end.line.trim() !== '') {
      const line = JSON.parse(end.line) as AuditLine;
      return { ...tail, seq: line.seq, hash: line.hash };
    }
  }
  const text = await readFile(file, 'utf8');
  const complete = text.lastIndexOf('\n') + 1;
  if (complete < text.length) {
    tail.size = Buffer.byteLength(text.slice(0, complete));
    await truncate(file, tail.size);
  }
  for (const raw of text.slice(0, complete).split('\n')) {
    if (raw.trim() === '') continue;
    const line = JSON.parse(raw) as AuditLine;
    tail.seq = line.seq;
    tail.hash = line.hash;
    tail.eventIds?.add(line.eventId);
  }
  return tail;
}

const TAIL_CHUNK = 64 * 1024;

/**
 * The stream's last whole line, read backwards from its end, and the size of its whole lines; a
 * partial line after them is cut off. Undefined when the stream has no whole line (the full read
 * decides then). A newline byte never occurs inside a UTF-8 sequence, so bytes split safely on it.
 */
async function lastLine(file: string, size: number): Promise<{ complete: number; line: string } | undefined> {
  const handle = await open(file, 'r+');
  try {
    let bytes = Buffer.alloc(0);
    for (let start = size; start > 0;) {
      const from = Math.max(0, start - TAIL_CHUNK);
      const chunk = Buffer.alloc(start - from);
      await handle.read(chunk, 0, chunk.length, from);
      bytes = Buffer.concat([chunk, bytes]);
      start = from;
      const last = bytes.lastIndexOf(0x0a);
      if (last < 0) continue;
      const before = last === 0 ? -1 : bytes.lastIndexOf(0x0a, last - 1);
      if (before < 0 && start > 0) continue; // the line starts further back
      const complete = start + last + 1;
      if (complete < size) await handle.truncate(complete);
      return { complete, line: bytes.subarray(before + 1, last).toString('utf8') };
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

async function readStreamText(dataDir: string, stream: string): Promise<string[]> {
  const text = await readFile(streamPath(dataDir, stream), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  // A last line without its newline is an append still in flight (or one killed mid-write, dropped
  // by the next append): not part of the chain yet.
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .slice(0, -1);
}

export const NO_HEAD_NOTE =
  'no head record (written before head records): a cut tail or an emptied stream cannot be detected until the next append writes one';

/**
 * Checks every line's hash, sequence number and link to the line before it, then that the chain
 * still passes through its head record (audit/<stream>.head.json) and, if given, an exported checkpoint.
 */
export async function verifyStream(
  dataDir: string,
  stream: string,
  checkpoint?: ChainTail,
): Promise<VerifyResult> {
  // The head first, the lines after: verify takes no lock, and a head is only written once its lines
  // are whole in the file, so the lines read next always reach it, however many appends run meanwhile.
  let head: ChainTail | undefined;
  let unreadable: string | undefined;
  try {
    head = await readHeadFile(dataDir, stream);
  } catch (err) {
    unreadable = `its head record is unreadable: ${errorMessage(err)}`;
  }
  const raws = await readStreamText(dataDir, stream);
  if (unreadable)
    return { stream, lines: raws.length, broken: { line: raws.length + 1, reason: unreadable } };
  const anchors: ChainAnchor[] = [];
  if (head) anchors.push({ ...head, source: `its head record ${headLabel(stream)}` });
  if (checkpoint) anchors.push({ ...checkpoint, source: 'the exported checkpoint' });
  const result = verifyChain(stream, raws, undefined, anchors);
  return !head && raws.length > 0 && !result.broken ? { ...result, note: NO_HEAD_NOTE } : result;
}

/** The stream's recorded head (audit/<stream>.head.json); undefined when it has none. */
export const readStreamHead = (dataDir: string, stream: string) => readHeadFile(dataDir, stream);

/** The stream's lines, parsed; throws on a line that is not JSON (verify first). */
export async function readStreamLines(dataDir: string, stream: string): Promise<AuditLine[]> {
  return (await readStreamText(dataDir, stream)).map((raw) => JSON.parse(raw) as AuditLine);
}

/** The streams present in the data directory's audit folder. */
export async function streamsOnDisk(dataDir: string): Promise<string[]> {
  const names = await readdir(path.join(dataDir, 'audit')).catch(() => [] as string[]);
  // A head record without its stream is a deleted stream, which verify must report.
  const streams = names.flatMap((n) =>
    n.endsWith('.jsonl')
      ? [n.slice(0, -'.jsonl'.length)]
      : n.endsWith(HEAD_SUFFIX)
        ? [n.slice(0, -HEAD_SUFFIX.length)]
        : [],
  );
  return [...new Set(streams)].sort();
}
