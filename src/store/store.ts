// One store for what SafeDeploy writes outside Temporal: incident evidence and the hash-chained audit
// log. Files under the data directory are the embedded default; PostgreSQL lets several workers share
// one audit chain (src/store/open.ts chooses).
import type { AuditEntry, AuditLine, VerifyResult } from '../evidence/audit';

/** The last line of a stream as the store remembers it apart from the lines themselves. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface EvidenceStore {
  /** Writes one evidence document; false when it already held the same content (idempotent). */
  writeEvidence(
    incidentId: string,
    name: string,
    content: unknown,
    secrets?: readonly string[],
  ): Promise<boolean>;
}

export interface AuditStore {
  /** Appends the entries whose eventId is not yet in the stream; returns how many were written. */
  appendAudit(stream: string, entries: AuditEntry[], secrets?: readonly string[]): Promise<number>;
  /**
   * Recomputes the stream's chain and compares it with the head anchor (when the store keeps one) and
   * with an exported checkpoint, if given (the chain must still pass through it).
   */
  verifyStream(stream: string, checkpoint?: ChainHead): Promise<VerifyResult>;
  /** Every stream the store holds (a verify covers streams added later too). */
  listStreams(): Promise<string[]>;
  /** The chain-head anchor of a stream; undefined when the store keeps none or the stream is new. */
  readHead(stream: string): Promise<ChainHead | undefined>;
  /** The stream's lines in order (import, verification, tests). */
  readLines(stream: string): Promise<AuditLine[]>;
  /** Which of these event ids the stream already holds, without reading the whole stream. */
  recordedEventIds(stream: string, eventIds: readonly string[]): Promise<Set<string>>;
}

export interface SafeDeployStore extends EvidenceStore, AuditStore {
  /** Where the data lives, for messages: a directory or a redacted database URL. */
  readonly location: string;
  readonly kind: 'files' | 'postgres';
  close(): Promise<void>;
}
