// What recording a gate answer costs the answer: AuditBuffer.add() on the request path (in-memory
// only), and how fast the background flush appends the hash-chained records to audit/gate.jsonl.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditBuffer } from '../src/evidence/audit-buffer';
import { gateRecord } from '../src/operator/gate-record';
import type { GateAnswer } from '../src/operator/gate';

export interface GateRecordRow {
  answers: number;
  addP50Us: number;
  addP99Us: number;
  flushMs: number;
  recordsPerSecond: number;
}

const ANSWER: GateAnswer = {
  service: 'checkout',
  verdict: 'allow',
  wouldBe: 'hold',
  mode: 'shadow',
  reasons: [{ code: 'burning-unconfirmed', slo: 'availability', message: 'SLO availability: 5m 20.0x' }],
  evaluatedAt: new Date().toISOString(),
  revision: 'abc123',
};

export async function benchGateRecord(log: (line: string) => void): Promise<GateRecordRow[]> {
  const rows: GateRecordRow[] = [];
  for (const answers of [1_000, 10_000]) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bench-gate-'));
    try {
      // A long delay: the flush is timed on its own, after every answer was added.
      const buffer = new AuditBuffer({ dataDir, stream: 'gate', capacity: answers, flushDelayMs: 3_600_000 });
      const addUs: number[] = [];
      for (let i = 0; i < answers; i++) {
        const start = performance.now();
        buffer.add(gateRecord(ANSWER, 'api', new Date()));
        addUs.push((performance.now() - start) * 1000);
      }
      const flushStart = performance.now();
      await buffer.close();
      const flushMs = performance.now() - flushStart;
      addUs.sort((a, b) => a - b);
      const row = {
        answers,
        addP50Us: addUs[Math.floor(answers * 0.5)]!,
        addP99Us: addUs[Math.floor(answers * 0.99)]!,
        flushMs,
        recordsPerSecond: Math.round(answers / (flushMs / 1000)),
      };
      log(`gate-record ${answers}: ${JSON.stringify(row)}`);
      rows.push(row);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}
