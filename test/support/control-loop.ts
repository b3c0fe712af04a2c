// The world of the control-loop tests: an exporter whose SLIs the test sets per window, a real
// Prometheus scraping it, a bare environment repository with the Rollout's history, a catalog, and
// a SafeDeploy worker on the shared Temporal dev server (in its own namespace).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { fleetQuery, workflowIds } from '../../workflows/messages';
import { ALERT_WINDOWS } from '../../src/slo/windows';
import type { PrometheusServer } from '../../src/servers/prometheus-server';
import { createSafeDeployWorker, type WorkerConfig } from '../../src/worker/run-worker';
import type { IncidentTimings } from '../../workflows/messages';
import { createBareRepo, seedHistory } from '../harness/git';
import { startTestExporter, startTestPrometheus, type TestExporter } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import { workerSigning } from './signing';

const WINDOWS = [...ALERT_WINDOWS, '30d'];

/** Gauges per service and window: the test sets each window's error ratio directly. */
export class SliExporter {
  private readonly ratios = new Map<string, Record<string, number>>();
  /** Phase of the checkout Rollout as the Argo Rollouts controller would export it, if any. */
  rolloutPhase: 'Progressing' | 'Paused' | 'Healthy' | undefined;

  healthy(service: string): void {
    this.ratios.set(service, Object.fromEntries(WINDOWS.map((w) => [w, 0])));
  }

  /** A fast burn: 20x over 5m, 30m and 1h; 2x over 6h; a budget still 80 % full. */
  fastBurn(service: string): void {
    this.ratios.set(service, {
      '5m': 0.02,
      '30m': 0.02,
      '1h': 0.02,
      '2h': 0.002,
      '6h': 0.002,
      '1d': 0.0005,
      '3d': 0.0002,
      '30d': 0.0002,
    });
  }

  /** A slow burn: 4x over 2h, 6h and 1d (above 3x, below the 6x and 14.4x fast-burn factors); half the budget left. */
  slowBurn(service: string): void {
    this.ratios.set(service, {
      '5m': 0.004,
      '30m': 0.004,
      '1h': 0.004,
      '2h': 0.004,
      '6h': 0.004,
      '1d': 0.004,
      '3d': 0.002,
      '30d': 0.0005,
    });
  }

  /** A burn's first minutes: only the 5m window sees it, no burn-rate rule fires yet. */
  shortBurn(service: string): void {
    this.ratios.set(service, { ...Object.fromEntries(WINDOWS.map((w) => [w, 0])), '5m': 0.02 });
  }

  /** A budget spent twice over, with clean recent traffic. */
  exhausted(service: string): void {
    this.ratios.set(service, { ...Object.fromEntries(WINDOWS.map((w) => [w, 0])), '30d': 0.002 });
  }

  metrics(): string {
    const lines = ['# TYPE safedeploy_test_sli_errors gauge', '# TYPE safedeploy_test_sli_total gauge'];
    for (const [service, byWindow] of this.ratios) {
      for (const w of WINDOWS) {
        lines.push(
          `safedeploy_test_sli_errors{service="${service}",window="${w}"} ${(byWindow[w] ?? 0) * 1000}`,
        );
        lines.push(`safedeploy_test_sli_total{service="${service}",window="${w}"} 1000`);
      }
    }
    if (this.rolloutPhase)
      lines.push(
        `rollout_info{name="checkout",namespace="shop",phase="${this.rolloutPhase}",strategy="canary"} 1`,
      );
    return `${lines.join('\n')}\n`;
  }
}

export function serviceYaml(
  service: string,
  repoUrl: string,
  freezeDuration = '24h',
  strategy = 'canary',
): string {
  const q = (name: string) => `sum(${name}{service="${service}",window="{{.window}}"})`;
  return `apiVersion: safedeploy/v1
kind: Service
metadata:
  name: ${service}
spec:
  owner: { team: payments, contact: payments-oncall@example.com }
  approvers: [alice, bob]
  slos:
    - name: availability
      objective: 99.9
      window: 30d
      sli:
        events:
          errorQuery: '${q('safedeploy_test_sli_errors')}'
          totalQuery: '${q('safedeploy_test_sli_total')}'
  deployment:
    strategy: ${strategy}
    rollout: { name: checkout, namespace: shop }
  rollback:
    strategy: gitops
    repo: { provider: git, url: '${repoUrl}', baseBranch: main }
    manifest: apps/${service}/rollout.yaml
  governance:
    freezeDuration: ${freezeDuration}
`;
}

/** A file of this repository, from the TypeScript sources or from dist/ (benchmarks run compiled). */
function repoFile(relative: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, relative))) return path.join(dir, relative);
  }
  throw new Error(`${relative} not found above ${__dirname}`);
}

const ROLLOUT = readFileSync(repoFile('examples/env-repo/apps/checkout/rollout.yaml'), 'utf8');

export function rolloutWithVersion(version: string): string {
  return ROLLOUT.replace(/:1\.8\.2'/g, `:${version}'`);
}

export interface ControlLoopWorld {
  dir: string;
  exporter: SliExporter;
  prometheus: PrometheusServer;
  repoDir: string;
  repoUrl: string;
  catalogDir: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Builds the world for `services`. Each service's Rollout has two revisions: 1.8.2 two hours ago, and
 * the bad 1.9.0 committed now, at its real time, before the test's errors begin (the rollback is
 * attributed to the last pod-template change before the burn's onset).
 */
export interface ServiceSetup {
  name: string;
  freezeDuration?: string;
  strategy?: string;
}

export function catalogYaml(services: ServiceSetup[], repoUrl: string): string {
  return services.map((s) => serviceYaml(s.name, repoUrl, s.freezeDuration, s.strategy)).join('---\n');
}

export async function buildWorld(services: ServiceSetup[]): Promise<ControlLoopWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-loop-'));
  const exporter = new SliExporter();
  for (const s of services) exporter.healthy(s.name);
  const http: TestExporter = await startTestExporter(() => exporter.metrics());
  const prometheus = await startTestPrometheus({
    scrapeTargets: [{ job: 'sli', targets: [http.target], interval: '1s' }],
  });
  const repoDir = path.join(dir, 'env.git');
  const repoUrl = createBareRepo(repoDir);
  const now = Date.now();
  for (const s of services) {
    const file = `apps/${s.name}/rollout.yaml`;
    seedHistory(repoUrl, [
      {
        files: { [file]: rolloutWithVersion('1.8.2') },
        message: `${s.name} 1.8.2`,
        date: new Date(now - 2 * 3_600_000).toISOString(),
      },
      {
        files: { [file]: rolloutWithVersion('1.9.0') },
        message: `${s.name} 1.9.0`,
        date: new Date(now).toISOString(),
      },
    ]);
  }
  const catalogDir = path.join(dir, 'catalog');
  await mkdir(catalogDir);
  await writeFile(path.join(catalogDir, 'services.yaml'), catalogYaml(services, repoUrl));
  return {
    dir,
    exporter,
    prometheus,
    repoDir,
    repoUrl,
    catalogDir,
    dataDir: path.join(dir, 'data'),
    async stop() {
      await prometheus.stop();
      await http.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let bundle: Promise<string> | undefined;

/** The workflow code, bundled once per test file and written where the worker can load it. */
export function workflowBundlePath(): Promise<string> {
  bundle ??= (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows') });
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bundle-')), 'workflows.js');
    await writeFile(file, code);
    return file;
  })();
  return bundle;
}

export const FAST_TIMINGS: IncidentTimings = {
  cooldownMs: 3_000,
  proposalTtlMs: 10 * 60_000,
  mergePollMs: 300,
  postmortemReminderMs: 2_000,
};

/**
 * A SafeDeploy worker on the world, as `safedeploy worker` runs it with the test timings and keys;
 * `overrides` replace any part of its configuration (another Temporal address, bundle, store, ...).
 */
export async function startWorker(
  world: ControlLoopWorld,
  namespace: string,
  overrides: Partial<WorkerConfig> & { address?: string } = {},
): Promise<Worker> {
  const { address = testTemporalAddress(), ...config } = overrides;
  return createSafeDeployWorker({
    temporal: { address, namespace },
    catalogDir: world.catalogDir,
    prometheusUrl: world.prometheus.url,
    dataDir: world.dataDir,
    intervalMs: 1_000,
    timings: FAST_TIMINGS,
    startEvaluation: true,
    workflowBundlePath: config.workflowBundlePath ?? (await workflowBundlePath()),
    ...workerSigning(),
    log: () => undefined,
    ...config,
  });
}

/** A running control loop: a client on its namespace and a worker running the fleet evaluation. */
export interface RunningLoop {
  client: Client;
  worker: Worker;
  running: Promise<void>;
}

/**
 * Connects, starts the worker and waits until the fleet evaluation has seen `healthy` normal, so it knows
 * when each service was last healthy before a test breaks one.
 */
export async function runLoop(
  world: ControlLoopWorld,
  namespace: string,
  healthy: string,
  timeoutMs = 30_000,
): Promise<RunningLoop> {
  const client = await namespaceClient(namespace);
  const worker = await startWorker(world, namespace);
  const running = worker.run();
  try {
    await waitFor(
      async () =>
        (await client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery)).services[healthy]
          ?.lastHealthyAt,
      timeoutMs,
      `a healthy evaluation of ${healthy}`,
    );
  } catch (err) {
    // The caller never sees these parts, so its afterAll cannot stop them.
    await stopLoop({ client, worker, running });
    throw err;
  }
  return { client, worker, running };
}

/** What the CLI reads to reach this loop's Temporal namespace, catalog and Prometheus, acting as `user`. */
export function loopCliEnv(world: ControlLoopWorld, namespace: string, user: string): NodeJS.ProcessEnv {
  return {
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_NAMESPACE: namespace,
    SAFEDEPLOY_CATALOG: world.catalogDir,
    PROMETHEUS_URL: world.prometheus.url,
    SAFEDEPLOY_USER: user,
  };
}

/** Ends what a control-loop test started: the fleet evaluation, the worker, the client, the world. */
export async function stopLoop(parts: {
  client?: Client;
  worker?: Worker;
  running?: Promise<void>;
  world?: ControlLoopWorld;
}): Promise<void> {
  await parts.client?.workflow
    .getHandle(workflowIds.fleetEvaluation)
    .terminate('test over')
    .catch(() => undefined);
  parts.worker?.shutdown();
  await parts.running;
  await parts.client?.connection.close();
  await parts.world?.stop();
}
