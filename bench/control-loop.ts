// Benchmarks of the durable control loop on a real Temporal dev server and Prometheus:
// - detection latency: errors injected into a live-scraped service with a healthy 31-day history,
//   until the incident starts and its rollback proposal exists, against the burn-rate windows' bound;
// - workflow history per evaluation cycle at 10, 100 and 1000 services.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { BURN_RATE_RULES, burnRateFactor, durationSeconds } from '../src/slo/windows';
import { startPrometheus } from '../src/servers/prometheus-server';
import { startTemporalDevServer, type TemporalDevServer } from '../src/servers/temporal-dev-server';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../src/temporal/search-attributes';
import { createSafeDeployWorker } from '../src/worker/run-worker';
import { fleetQuery, incidentQuery, workflowIds, workflowTypeIn } from '../workflows/messages';
import { createBareRepo, seedHistory } from '../test/harness/git';
import { startTestExporter } from '../test/harness/prometheus';
import { FAST_TIMINGS, rolloutWithVersion } from '../test/support/control-loop';
import { DAY, HOUR, integrate, renderOpenMetrics, type TrafficProfile } from '../test/support/history';

type Log = (line: string) => void;
const BUDGET = 0.001;
const BASE = { rps: 20, errorFraction: 0.0001 };

const poll = async <T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Seconds until the first fast-burn rule fires for a constant error fraction on top of the base. */
export function detectionBound(errorFraction: number): number {
  const times = BURN_RATE_RULES.filter((r) => r.severity === 'fast-burn').map((rule) => {
    const need = burnRateFactor(rule, '30d') * BUDGET;
    const t = (w: string) =>
      ((need - BASE.errorFraction) * durationSeconds(w)) / (errorFraction - BASE.errorFraction);
    return Math.max(t(rule.long), t(rule.short));
  });
  return Math.min(...times);
}

function serviceYaml(name: string, repoUrl: string): string {
  return `apiVersion: safedeploy/v1
kind: Service
metadata: { name: ${name} }
spec:
  owner: { team: bench }
  approvers: [alice]
  slos:
    - name: availability
      objective: 99.9
      window: 30d
      sli:
        events:
          errorQuery: 'sum(rate(http_requests_total{service="${name}",code=~"5.."}[{{.window}}]))'
          totalQuery: 'sum(rate(http_requests_total{service="${name}"}[{{.window}}]))'
  deployment: { strategy: canary, rollout: { name: checkout, namespace: shop } }
  rollback:
    strategy: gitops
    repo: { provider: git, url: '${repoUrl}', baseBranch: main }
    manifest: apps/${name}/rollout.yaml
`;
}

interface Rig {
  dir: string;
  temporal: TemporalDevServer;
  client: Client;
}

async function rig(): Promise<Rig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bench-loop-'));
  const temporal = await startTemporalDevServer({
    headless: true,
    searchAttributes: SAFEDEPLOY_SEARCH_ATTRIBUTES,
  });
  const client = new Client({
    connection: await Connection.connect({ address: temporal.address }),
    namespace: 'default',
  });
  return { dir, temporal, client };
}

function seedRepo(dir: string, services: string[]): string {
  const url = createBareRepo(path.join(dir, 'env.git'));
  const files = (v: string) =>
    Object.fromEntries(services.map((s) => [`apps/${s}/rollout.yaml`, rolloutWithVersion(v)]));
  seedHistory(url, [
    { files: files('1.8.2'), message: '1.8.2', date: new Date(Date.now() - 2 * HOUR * 1000).toISOString() },
    // Committed at its real time, before the errors begin: the rollback is attributed by the burn's onset.
    { files: files('1.9.0'), message: '1.9.0', date: new Date().toISOString() },
  ]);
  return url;
}

async function runWorker(
  r: Rig,
  name: string,
  services: string[],
  prometheusUrl: string,
  intervalMs: number,
) {
  const catalogDir = path.join(r.dir, `catalog-${name}`);
  await mkdir(catalogDir, { recursive: true });
  await mkdir(path.join(r.dir, `repo-${name}`), { recursive: true });
  const repoUrl = seedRepo(path.join(r.dir, `repo-${name}`), services);
  await writeFile(
    path.join(catalogDir, 'services.yaml'),
    services.map((s) => serviceYaml(s, repoUrl)).join('---\n'),
  );
  const worker = await createSafeDeployWorker({
    temporal: { address: r.temporal.address, namespace: 'default' },
    catalogDir,
    prometheusUrl,
    dataDir: path.join(r.dir, `data-${name}`),
    intervalMs,
    timings: FAST_TIMINGS,
    startEvaluation: true,
    log: () => undefined,
  });
  const running = worker.run();
  return {
    stop: async () => {
      await r.client.workflow
        .getHandle(workflowIds.fleetEvaluation)
        .terminate('bench over')
        .catch(() => undefined);
      worker.shutdown();
      await running;
    },
  };
}

export interface DetectionRow {
  errorFraction: number;
  boundSeconds: number;
  incidentSeconds: number;
  proposalSeconds: number;
}

/** Error injection on a live exporter continuing a backfilled healthy month. */
export async function benchDetection(log: Log, fractions = [1, 0.5]): Promise<DetectionRow[]> {
  const r = await rig();
  const rows: DetectionRow[] = [];
  try {
    for (const [i, f] of fractions.entries()) {
      const service = `detect-${i}`;
      let injectedAt = Number.POSITIVE_INFINITY;
      const end = Math.floor(Date.now() / 1000) - 30;
      const profile: TrafficProfile = { service, ...BASE };
      const length = 31 * DAY;
      const total0 = integrate(profile, 'total', length, 0);
      const errors0 = integrate(profile, 'errors', length, 0);
      const exporter = await startTestExporter(() => {
        const now = Date.now() / 1000;
        const total = total0 + BASE.rps * (now - end);
        const errors =
          errors0 +
          BASE.rps * BASE.errorFraction * (now - end) +
          BASE.rps * (f - BASE.errorFraction) * Math.max(0, now - injectedAt);
        return `http_requests_total{service="${service}",code="200"} ${total - errors}\nhttp_requests_total{service="${service}",code="500"} ${errors}\n`;
      });
      const history = renderOpenMetrics([profile], {
        end,
        length,
        recentStep: 15,
        recentSpan: 3 * HOUR,
        oldStep: 1800,
        labels: `job="bench",instance="${exporter.target}"`,
      });
      const prometheus = await startPrometheus({
        dataDir: path.join(r.dir, `prom-${i}`),
        backfill: history,
        scrapeTargets: [{ job: 'bench', targets: [exporter.target], interval: '1s' }],
      });
      const loop = await runWorker(r, `d${i}`, [service], prometheus.url, 1_000);
      try {
        await poll(
          async () =>
            (await r.client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery)).services[
              service
            ]?.severity === 'normal'
              ? true
              : undefined,
          120_000,
          'a healthy evaluation',
        );
        injectedAt = Date.now() / 1000;
        log(`  injected ${f * 100}% errors into ${service}; bound ${detectionBound(f).toFixed(1)} s`);
        const handle = r.client.workflow.getHandle(workflowIds.incident(service));
        await poll(() => handle.query(incidentQuery).then((v) => v), 600_000, 'the incident');
        const incidentSeconds = Date.now() / 1000 - injectedAt;
        await poll(
          () => handle.query(incidentQuery).then((v) => (v.proposals.length > 0 ? v : undefined)),
          120_000,
          'the proposal',
        );
        const proposalSeconds = Date.now() / 1000 - injectedAt;
        rows.push({ errorFraction: f, boundSeconds: detectionBound(f), incidentSeconds, proposalSeconds });
        log(
          `  incident after ${incidentSeconds.toFixed(1)} s, proposal after ${proposalSeconds.toFixed(1)} s`,
        );
        await handle.terminate('bench over').catch(() => undefined);
      } finally {
        await loop.stop();
        await prometheus.stop();
        await exporter.close();
      }
    }
  } finally {
    await r.client.connection.close();
    await r.temporal.stop();
    await rm(r.dir, { recursive: true, force: true });
  }
  return rows;
}

export interface HistoryRow {
  services: number;
  cycles: number;
  eventsPerCycle: number;
  bytesPerCycle: number;
  incidents: number;
}

/** Steady-state history growth of the fleet evaluation, with 1 % of the fleet burning. */
export async function benchHistory(log: Log, sizes = [10, 100, 1000], cycles = 10): Promise<HistoryRow[]> {
  const r = await rig();
  const rows: HistoryRow[] = [];
  const end = Math.floor(Date.now() / 1000);
  const largest = Math.max(...sizes);
  const names = Array.from({ length: largest }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
  const profiles: TrafficProfile[] = names.map((service, i) => ({
    service,
    ...BASE,
    ...(i % 100 === 0 ? { segments: [{ from: HOUR, to: 0, errorFraction: 0.05 }] } : {}),
  }));
  log(`  backfilling ${largest} services (2 days) ...`);
  const prometheus = await startPrometheus({
    dataDir: path.join(r.dir, 'prom'),
    backfill: renderOpenMetrics(profiles, {
      end,
      length: 2 * DAY,
      recentStep: 60,
      recentSpan: 7 * HOUR,
      oldStep: 1800,
    }),
  });
  try {
    for (const n of sizes) {
      const loop = await runWorker(r, `h${n}`, names.slice(0, n), prometheus.url, 2_000);
      const handle = r.client.workflow.getHandle(workflowIds.fleetEvaluation);
      try {
        const start = await poll(
          async () =>
            (await handle.query(fleetQuery)).cycles >= 2 ? await handle.fetchHistory() : undefined,
          300_000,
          'two cycles',
        );
        const startCycles = (await handle.query(fleetQuery)).cycles;
        await poll(
          async () => ((await handle.query(fleetQuery)).cycles >= startCycles + cycles ? true : undefined),
          600_000,
          `${cycles} cycles`,
        );
        const done = (await handle.query(fleetQuery)).cycles - startCycles;
        const after = await handle.fetchHistory();
        const events = (after.events?.length ?? 0) - (start.events?.length ?? 0);
        const size = (h: typeof after) => temporal.api.history.v1.History.encode(h).finish().length;
        const bytes = size(after) - size(start);
        let incidents = 0;
        for await (const _ of r.client.workflow.list({
          query: `${workflowTypeIn('incident')} AND ExecutionStatus = 'Running'`,
        }))
          incidents++;
        const row = {
          services: n,
          cycles: done,
          eventsPerCycle: events / done,
          bytesPerCycle: Math.round(bytes / done),
          incidents,
        };
        rows.push(row);
        log(
          `  ${n} services: ${row.eventsPerCycle.toFixed(1)} events and ${row.bytesPerCycle} bytes of history per cycle; ${incidents} incidents`,
        );
        for await (const w of r.client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
          await r.client.workflow
            .getHandle(w.workflowId)
            .terminate('bench over')
            .catch(() => undefined);
        }
      } finally {
        await loop.stop();
      }
    }
  } finally {
    await prometheus.stop();
    await r.client.connection.close();
    await r.temporal.stop();
    await rm(r.dir, { recursive: true, force: true });
  }
  return rows;
}
