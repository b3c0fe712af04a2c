// The audit chain itself, independent of where its lines are kept: each line carries its sequence
// number, the previous line's hash and its own SHA-256 over the canonical JSON of everything else.
// The file store (src/evidence/audit.ts) and the PostgreSQL store (src/store/postgres/audit.ts)
// both build and verify lines here, so an imported chain verifies the same in either.
import { hash as digest } from 'node:crypto';
import { canonicalJson } from './canonical';
import { redactor } from './redact';

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

export interface ChainTail {
  seq: number;
  hash: string;
}

export interface VerifyResult {
  stream: string;
  lines: number;
  /** The first line (1-based) that breaks the chain, and why. */
  broken?: { line: number; reason: string };
  /** Why the chain was checked less than fully (e.g. a file stream written before head records). */
  note?: string;
}

/**
 * A point the chain must still pass through (its line at `seq` carries `hash`): a file stream's head
 * record, which may lag the last line after a crash between append and head write, or an exported
 * checkpoint (`safedeploy audit checkpoint`) from any store.
 */
export interface ChainAnchor extends ChainTail {
  /** How messages name it, e.g. "the exported checkpoint". */
  source: string;
}

export function hashLine(line: Omit<AuditLine, 'hash'>): string {
  // One-shot hash (Node >= 20.12): a hasher object per line cost more than the hashing.
  return digest('sha256', canonicalJson(line), 'hex');
}

/** A chained line and its JSON text, as a store keeps it (one line of a file, one row's `line`). */
export interface ChainedLine {
  line: AuditLine;
  json: string;
}

/**
 * Fields the chain adds to every line. An entry carrying one would be overwritten (or, for `hash`,
 * hashed, then replaced, so the line could never verify): refused instead, as the caller's mistake.
 */
const CHAIN_FIELDS = ['seq', 'prevHash', 'hash'];

/** Chains the entries after `tail`, skipping event ids already `seen`; redacts secrets first. */
export function chainEntries(
  tail: ChainTail,
  entries: readonly AuditEntry[],
  seen: ReadonlySet<string>,
  secrets: readonly string[] = [],
): ChainedLine[] {
  const lines: ChainedLine[] = [];
  // Only this batch's ids: copying `seen` (every id the stream holds) made each append cost the
  // stream's length, which the gate's audit stream reaches in minutes (docs/BENCHMARKS.md).
  const taken = new Set<string>();
  const scrub = redactor(secrets);
  let { seq, hash } = tail;
  for (const entry of entries) {
    if (seen.has(entry.eventId) || taken.has(entry.eventId)) continue;
    // The JSON round trip is what a reader of the line will see (dates as strings, undefined gone).
    const text = JSON.stringify(entry);
    const scrubbed = scrub(text);
    const clean = JSON.parse(scrubbed) as AuditEntry;
    const reserved = CHAIN_FIELDS.find((f) => Object.hasOwn(clean, f));
    if (reserved)
      throw new Error(`audit entry ${entry.eventId} carries "${reserved}", a field the chain sets itself`);
    // `clean` is this call's own copy: the chain's fields go on it, in the order a reader sees them.
    const body = Object.assign(clean, { seq: seq + 1, prevHash: hash });
    const line: AuditLine = Object.assign(body, { hash: hashLine(body) });
    lines.push({ line, json: lineJson(line, scrubbed === text ? text : undefined) });
    taken.add(entry.eventId);
    ({ seq, hash } = line);
  }
  return lines;
}

/**
 * JSON.stringify(line), from the entry's own JSON when that is still exact: JSON.stringify output
 * parses back and re-serialises to the same text, and the chain's fields (never the entry's own)
 * come last, so the line is that text with them appended. A line per gate answer makes the second serialisation worth saving.
 */
function lineJson(line: AuditLine, entryJson: string | undefined): string {
  if (entryJson === undefined) return JSON.stringify(line);
  const fields = `"seq":${line.seq},"prevHash":${JSON.stringify(line.prevHash)},"hash":${JSON.stringify(line.hash)}}`;
  return entryJson === '{}' ? `{${fields}` : `${entryJson.slice(0, -1)},${fields}`;
}

/**
 * Checks every line's hash, sequence number and link to the line before it, then the chain's end
 * against the head anchor when the store keeps one: a cut tail or an emptied stream leaves the
 * remaining lines intact, only the anchor still remembers how far the chain went.
 */
export function verifyChain(
  stream: string,
  raws: readonly string[],
  head?: ChainTail,
  anchors: readonly ChainAnchor[] = [],
): VerifyResult {
  const verifier = new ChainVerifier(stream, anchors);
  for (const raw of raws) if (!verifier.add(raw)) break;
  return verifier.finish(head);
}

/** The same check fed line by line, for stores that page through a long stream. */
export class ChainVerifier {
  private end: ChainTail = { seq: 0, hash: GENESIS_HASH };
  private count = 0;
  private broken: VerifyResult['broken'];
  /** The hash of the line at each anchor's seq, as the chain really holds it. */
  private readonly atAnchor = new Map<number, string>();

  constructor(
    private readonly stream: string,
    private readonly anchors: readonly ChainAnchor[] = [],
  ) {}

  /** False once the chain is broken (later lines cannot be verified). */
  add(raw: string): boolean {
    if (this.broken) return false;
    this.count++;
    const problem = lineProblem(raw, this.count, this.end.hash);
    if (typeof problem === 'string') {
      this.broken = { line: this.count, reason: problem };
      return false;
    }
    this.end = { seq: problem.seq, hash: problem.hash };
    if (this.anchors.some((a) => a.seq === problem.seq)) this.atAnchor.set(problem.seq, problem.hash);
    return true;
  }

  finish(head?: ChainTail, lines = this.count): VerifyResult {
    const result = { stream: this.stream, lines };
    if (this.broken) return { ...result, broken: this.broken };
    const headProblem = head ? compareHead(this.end, head) : null;
    if (headProblem) return { ...result, broken: { line: this.count + 1, reason: headProblem } };
    for (const anchor of this.anchors) {
      const broken = this.anchorProblem(anchor);
      if (broken) return { ...result, broken };
    }
    return result;
  }

  private anchorProblem(anchor: ChainAnchor): VerifyResult['broken'] {
    if (anchor.seq === 0) return undefined;
    if (this.end.seq < anchor.seq) {
      const what =
        this.end.seq === 0 ? 'the stream is empty or deleted' : `the chain ends at seq ${this.end.seq}`;
      return {
        line: this.count + 1,
        reason: `${what}, but ${anchor.source} records seq ${anchor.seq} (lines were removed from the end)`,
      };
    }
    if (this.atAnchor.get(anchor.seq) !== anchor.hash)
      return {
        line: anchor.seq,
        reason: `the line at seq ${anchor.seq} does not match ${anchor.source}: the chain was rewritten`,
      };
    return undefined;
  }
}

function compareHead(end: ChainTail, head: ChainTail): string | null {
  if (end.seq === head.seq && end.hash === head.hash) return null;
  if (end.seq < head.seq)
    return `the chain ends at seq ${end.seq} but its head records seq ${head.seq} (lines were removed from the end)`;
  return `the chain's last line (seq ${end.seq}) does not match its head (seq ${head.seq}): the chain was rewritten`;
}

function lineProblem(raw: string, expectedSeq: number, prevHash: string): string | AuditLine {
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
  return line;
}
