// Benchmark: reading recorded series (`rules generate`) against raw queries, and the shared gate.
// One Prometheus holds 30 days of coarse synthetic history for 10,000 services (one availability SLO
// each) plus the series the generated rules record, written as the rules would have recorded them
// (test/integration/recording-rules.test.ts proves the rules and their backfill produce such series;
// backfilling 80,000 rules over 30 days does not fit this machine). Per cycle: HTTP requests, wall
// time, and Prometheus CPU seconds (its own process_cpu_seconds_total). Then the HTTP gate under
// `ab` at concurrency 10 and 50 against /healthz on the same server (alternating rounds, medians),
// Prometheus requests per gate call (its own prometheus_http_requests_total), and the gate answers
// recorded in the audit stream meanwhile.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApiDeps, type ApiDeps } from '../src/api/deps';
import { buildApiServer } from '../src/api/server';
import { evaluateFleet } from '../src/evaluation/evaluate-fleet';
import { PrometheusClient } from '../src/prometheus/client';
import type { SourcePreference } from '../src/prometheus/sources';
import { identityLabels, LABEL, sliErrorMetric } from '../src/rules/conventions';
import { ALERT_WINDOWS, durationSeconds } from '../src/slo/windows';
import { startPrometheus } from '../src/servers/prometheus-server';
import { startTemporalDevServer } from '../src/servers/temporal-dev-server';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';
import { DAY, HOUR, expectedRatio, renderOpenMetrics } from '../test/support/history';
import { medianLoad, runLoad, type LoadResult } from './load';
import { syntheticFleet } from './synthetic-fleet';

type Log = (line: string) => void;
/** SAFEDEPLOY_BENCH_SLOS=100,300 runs a quick smaller version (the gate's fleet is the smallest size). */
const SIZES = (process.env.SAFEDEPLOY_BENCH_SLOS ?? '1000,10000').split(',').map(Number);
const GATE_FLEET = Math.min(...SIZES);
const REFRESH_MS = 5_000;
/** Alternating load rounds per route and concurrency; each row is the median round. */
const GATE_ROUNDS = 5;
const TOKEN = 'bench-token-0123456789abcdef';

export interface CycleRow {
  slos: number;
  source: SourcePreference;
  cycles: number;
  requests: number;
  medianMs: number;
  prometheusCpuSeconds: number;
}

export interface GateRow {
  route: string;
  concurrency: number;
  load: LoadResult;
  prometheusRequestsPerCall: number | null;
  /** Gate answers written to the audit stream gate during the load, and dropped (buffer full). */
  records: { written: number; dropped: number } | null;
}

const FLEET = syntheticFleet({ nameDigits: 5, burningEvery: 100 });

/** The recorded series the generated rules would hold at `end`: every window now, and the 5m ratio 30 days ago. */
function recordedSeries(n: number, end: number): string {
  const lines: string[] = [];
  const windows = [...ALERT_WINDOWS, '30d'];
  for (const window of windows) {
    for (let i = 0; i < n; i++) {
      const s = FLEET.service(i);
      const labels = { ...identityLabels(s, s.slos[0]!), [LABEL.window]: window };
      const series = `${sliErrorMetric(window)}{${Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`;
      const ratio = expectedRatio(FLEET.profile(i), durationSeconds(window));
      if (ratio === null) continue; // no traffic: the rules record no sample
      // 5m also 30 days back, where SafeDeploy checks the SLO window is covered.
      if (window === '5m') lines.push(`${series} ${ratio} ${end - 30 * DAY + 1800}`);
      lines.push(`${series} ${ratio} ${end - 60}`, `${series} ${ratio} ${end}`);
    }
  }
  return lines.join('\n');
}

async function prometheusMetric(url: string, name: string, filter = ''): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(filter) && !l.startsWith('#'));
  return Number(line?.split(' ').pop() ?? NaN);
}

const cpu = (url: string) => prometheusMetric(url, 'process_cpu_seconds_total');
const queries = (url: string) =>
  prometheusMetric(url, 'prometheus_http_requests_total{', 'handler="/api/v1/query"');

async function benchCycles(url: string, end: number, log: Log): Promise<CycleRow[]> {
  const rows: CycleRow[] = [];
  for (const n of SIZES) {
    const catalog = FLEET.catalog(n);
    for (const source of ['raw', 'auto'] as const) {
      const cycles = source === 'raw' && n > 1000 ? 1 : 3;
      const times: number[] = [];
      let requests = 0;
      const cpuBefore = await cpu(url);
      for (let c = 0; c < cycles; c++) {
        const client = new PrometheusClient({ url, timeoutMs: 300_000 });
        const started = performance.now();
        const e = await evaluateFleet(catalog, client, new Date(end * 1000), { source });
        times.push(performance.now() - started);
        requests = client.requestCount;
        const recorded = e.services.filter((s) => s.slos[0]?.source === 'recorded').length;
        if (source === 'auto' && recorded !== n)
          log(`  warning: only ${recorded} of ${n} SLOs read from recorded series`);
      }
      const row: CycleRow = {
        slos: n,
        source,
        cycles,
        requests,
        medianMs: Math.round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!),
        prometheusCpuSeconds: ((await cpu(url)) - cpuBefore) / cycles,
      };
      log(
        `  ${n} SLOs ${source === 'auto' ? 'recorded' : 'raw'}: ${row.requests} requests, ${row.medianMs} ms, ${row.prometheusCpuSeconds.toFixed(2)} s Prometheus CPU per cycle`,
      );
      rows.push(row);
    }
  }
  return rows;
}

async function benchGate(promUrl: string, end: number, dir: string, log: Log): Promise<GateRow[]> {
  const temporal = await startTemporalDevServer({
    headless: true,
    searchAttributes: SAFEDEPLOY_SEARCH_ATTRIBUTES,
  });
  // The API's clock runs from the end of the backfilled history, which is where its data stops.
  const shiftMs = Date.now() - end * 1000;
  const deps = await createApiDeps({
    catalogDir: dir,
    catalog: FLEET.catalog(GATE_FLEET),
    prometheusUrl: promUrl,
    temporal: { address: temporal.address, namespace: 'default' },
    timeoutMs: 3_000,
    gateMaxAgeMs: REFRESH_MS,
    // Every answer is recorded in the audit stream gate, as `safedeploy api` does.
    dataDir: path.join(dir, 'data'),
    now: () => new Date(Date.now() - shiftMs),
  });
  const app = buildApiServer(deps, { token: TOKEN, logger: false, refreshIntervalMs: REFRESH_MS });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const rows: GateRow[] = [];
  try {
    const gate = `${base}/v1/gate?service=svc-00001`;
    const auth = { Authorization: `Bearer ${TOKEN}` };
    await fetch(gate, { headers: auth });
    const routes = [
      ['/healthz', `${base}/healthz`, {}, 10_000],
      ['/v1/gate', gate, auth, 15_000],
    ] as const;
    // JIT and connection paths settle before anything counts.
    for (const [, url, headers] of routes) await runLoad({ url, requests: 2_000, concurrency: 10, headers });
    for (const concurrency of [10, 50]) {
      // The two routes alternate, round after round, so a burst of other work on this small machine
      // (Prometheus compacting, the refresh) lands on both; each route's row is its median round.
      const measured = new Map<
        string,
        { loads: LoadResult[]; served: number; written: number; dropped: number }
      >();
      for (let round = 1; round <= GATE_ROUNDS; round++) {
        for (const [route, url, headers, requests] of routes) {
          const before = await queries(promUrl);
          const recordsBefore = await writtenGateRecords(deps);
          const load = await runLoad({ url, requests, concurrency, headers });
          const served = (await queries(promUrl)) - before;
          // Every answer must be in the audit stream too: a gate made fast by dropping records is not.
          const recordsAfter = await writtenGateRecords(deps);
          const m = measured.get(route) ?? { loads: [], served: 0, written: 0, dropped: 0 };
          m.loads.push(load);
          m.served += served;
          m.written += recordsAfter.written - recordsBefore.written;
          m.dropped += recordsAfter.dropped - recordsBefore.dropped;
          measured.set(route, m);
          log(
            `  ${route} c=${concurrency} round ${round} (${load.tool}): ${load.perSecond.toFixed(0)}/s p50 ${load.p50Ms} ms p99 ${load.p99Ms} ms, ${load.failed} failed; Prometheus requests ${served}`,
          );
        }
      }
      for (const [route, m] of measured) {
        const load = medianLoad(m.loads);
        const isGate = route !== '/healthz';
        rows.push({
          route,
          concurrency,
          load,
          prometheusRequestsPerCall: isGate ? m.served / load.requests : null,
          records: isGate ? { written: m.written, dropped: m.dropped } : null,
        });
      }
    }
  } finally {
    await app.close();
    await temporal.stop();
  }
  return rows;
}

async function writtenGateRecords(deps: ApiDeps): Promise<{ written: number; dropped: number }> {
  await deps.gateLog?.flush();
  const stats = deps.gateLog?.stats();
  return { written: stats?.written ?? 0, dropped: stats?.dropped ?? 0 };
}

export async function benchRecorded(log: Log): Promise<{ cycles: CycleRow[]; gate: GateRow[] }> {
  const largest = Math.max(...SIZES);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bench-recorded-'));
  const end = Math.floor(Date.now() / 1000) - 60;
  log(
    `backfilling ${largest} services (30 days, 2 raw series each, 6 h steps, 2 min steps in the last hour) and their recorded series ...`,
  );
  const raw = renderOpenMetrics(FLEET.profiles(largest), {
    end,
    length: 30 * DAY,
    recentStep: 120,
    recentSpan: HOUR,
    oldStep: 6 * HOUR,
  }).replace(/# EOF\n$/, '');
  const prometheus = await startPrometheus({
    dataDir: dir,
    backfill: `${raw}${recordedSeries(largest, end)}\n# EOF\n`,
    log,
    readyTimeoutMs: 600_000,
  });
  try {
    const gate = await benchGate(prometheus.url, end, dir, log);
    const cycles = await benchCycles(prometheus.url, end, log);
    return { cycles, gate };
  } finally {
    await prometheus.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
