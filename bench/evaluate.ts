// Benchmark: `evaluate` for 10, 100 and 1000 SLOs against a real Prometheus holding synthetic
// backfilled histories, batched (one request per window) against one request per query.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../src/catalog/model';
import { evaluateFleet } from '../src/evaluation/evaluate-fleet';
import { PrometheusClient } from '../src/prometheus/client';
import { startPrometheus } from '../src/servers/prometheus-server';
import { HOUR, DAY, renderOpenMetrics } from '../test/support/history';
import { syntheticFleet } from './synthetic-fleet';

const SIZES = [10, 100, 1000];
const END = 1_767_225_600;
const REPEATS = 3;

export interface EvaluateBenchRow {
  slos: number;
  mode: 'batched' | 'per-query';
  requests: number;
  medianMs: number;
}

const FLEET = syntheticFleet({ nameDigits: 4, burningEvery: 10 });

async function timeEvaluation(
  catalog: Catalog,
  url: string,
  unbatched: boolean,
): Promise<{ requests: number; ms: number }> {
  const client = new PrometheusClient({ url, timeoutMs: 120_000 });
  const started = process.hrtime.bigint();
  await evaluateFleet(catalog, client, new Date(END * 1000), { unbatched });
  return { requests: client.requestCount, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

export async function benchEvaluate(log: (line: string) => void): Promise<EvaluateBenchRow[]> {
  const largest = Math.max(...SIZES);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bench-'));
  log(`backfilling ${largest} services (3.5 days, 2 series each) ...`);
  const backfill = renderOpenMetrics(FLEET.profiles(largest), {
    end: END,
    length: 3.5 * DAY,
    recentStep: 60,
    recentSpan: 7 * HOUR,
    oldStep: 1800,
  });
  const prometheus = await startPrometheus({ dataDir, backfill, log });
  const rows: EvaluateBenchRow[] = [];
  try {
    for (const n of SIZES) {
      const catalog = FLEET.catalog(n);
      for (const mode of ['batched', 'per-query'] as const) {
        const runs: { requests: number; ms: number }[] = [];
        const repeats = mode === 'per-query' && n >= 1000 ? 1 : REPEATS;
        for (let r = 0; r < repeats; r++)
          runs.push(await timeEvaluation(catalog, prometheus.url, mode === 'per-query'));
        const ms = runs.map((x) => x.ms).sort((a, b) => a - b);
        const row = {
          slos: n,
          mode,
          requests: runs[0]!.requests,
          medianMs: Math.round(ms[Math.floor(ms.length / 2)]!),
        };
        log(`  ${n} SLOs ${mode}: ${row.requests} requests, ${row.medianMs} ms (median of ${repeats})`);
        rows.push(row);
      }
    }
  } finally {
    await prometheus.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}
