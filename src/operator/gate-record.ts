// What the audit stream `gate` keeps of each gate answer: enough to count, per service and mode, what
// the gate answered and what enforce would have answered, and why. Recording is a separate step after
// the answer is decided, so the decision stays pure and the answer never waits for the disk.
import { randomUUID } from 'node:crypto';
import type { EnforcementMode } from '../catalog/model';
import type { AuditEntry } from '../evidence/audit';
import type { AuditBuffer } from '../evidence/audit-buffer';
import type { GateReason, Verdict } from '../policy/gate';
import type { GateAnswer } from './gate';

export type GateAnswerSource = 'api' | 'cli';

export interface GateRecord extends AuditEntry {
  /** The instant the gate answered for (the evaluation time; `--at` for a replay). */
  at: string;
  /** When the answer was given (wall clock). */
  answeredAt: string;
  source: GateAnswerSource;
  service: string;
  revision?: string;
  verdict: Verdict;
  wouldBe: Verdict;
  mode: EnforcementMode;
  reasons: Pick<GateReason, 'code' | 'slo' | 'message'>[];
  dataAgeSeconds: number;
}

export function gateRecord(answer: GateAnswer, source: GateAnswerSource, answeredAt: Date): GateRecord {
  return {
    eventId: `gate:${source}:${answer.service}:${answeredAt.toISOString()}:${randomUUID()}`,
    at: answer.evaluatedAt,
    answeredAt: answeredAt.toISOString(),
    source,
    service: answer.service,
    ...(answer.revision ? { revision: answer.revision } : {}),
    verdict: answer.verdict,
    wouldBe: answer.wouldBe,
    mode: answer.mode,
    reasons: answer.reasons.map(({ code, slo, message }) => ({ code, ...(slo ? { slo } : {}), message })),
    dataAgeSeconds: answer.dataAgeSeconds ?? 0,
  };
}

/** Queues the answer's record; false when the buffer dropped it (counted in its stats). */
export function recordGateAnswer(
  buffer: AuditBuffer,
  answer: GateAnswer,
  source: GateAnswerSource,
  answeredAt: Date,
): boolean {
  return buffer.add(gateRecord(answer, source, answeredAt));
}
