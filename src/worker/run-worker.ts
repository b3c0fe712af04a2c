// The SafeDeploy worker: registers workflows and activities on the task queue, starts the fleet
// evaluation idempotently, and shuts down gracefully on SIGTERM/SIGINT (the SDK's runtime handles them).
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { githubAuthFromEnv, secretsOf } from '../config/github';
import { NO_ROUTES, loadNotifyConfig, type NotifyConfig } from '../notify/routes';
import { PrometheusClient } from '../prometheus/client';
import { connectClient, tlsConfig, type TemporalOptions } from '../temporal/connection';
import { TASK_QUEUE, type IncidentTimings } from '../../workflows/messages';
import { ensureFleetEvaluation } from './fleet-evaluation';
import { fileStore } from '../store/file-store';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './shutdown';
import type { SafeDeployStore } from '../store/store';
import path from 'node:path';

export interface WorkerConfig {
  temporal: TemporalOptions;
  catalogDir: string;
  prometheusUrl: string;
  /** Authorization and --prometheus-header headers for Prometheus (from prometheusClientOptions); secrets, never logged. */
  prometheusHeaders?: Record<string, string>;
  /** The git mirror cache (and the file store, unless `store` is given); each replica may keep its own. */
  dataDir: string;
  /** Evidence and audit; files under dataDir when absent. The caller owns it (closes it). */
  store?: SafeDeployStore;
  shutdownGraceMs?: number;
  /** How this worker names itself in workflow histories (the pod name in Kubernetes); the SDK's pid@host otherwise. */
  identity?: string;
  intervalMs: number;
  timings: IncidentTimings;
  /** Start the fleet evaluation workflow if it is not running. */
  startEvaluation: boolean;
  /** Notification routes file (SAFEDEPLOY_NOTIFY_ROUTES); without one nothing is sent. */
  notifyRoutesFile?: string;
  /** Routes already loaded (tests); wins over notifyRoutesFile. */
  notify?: NotifyConfig;
  /** git's allowed_signers file: who may sign human actions (SAFEDEPLOY_ALLOWED_SIGNERS). */
  allowedSignersFile?: string;
  /** A prebuilt workflow bundle (containers, tests); otherwise the workflows are bundled at start. */
  workflowBundlePath?: string;
  log: (line: string) => void;
}

export async function createSafeDeployWorker(config: WorkerConfig): Promise<Worker> {
  const github = githubAuthFromEnv();
  const notify =
    config.notify ?? (config.notifyRoutesFile ? await loadNotifyConfig(config.notifyRoutesFile) : NO_ROUTES);
  const secrets = [
    ...secretsOf(github),
    ...(config.temporal.apiKey ? [config.temporal.apiKey] : []),
    ...notify.secrets,
    ...Object.values(config.prometheusHeaders ?? {}),
  ];
  const client = await connectClient(config.temporal);
  const connection = await NativeConnection.connect({
    address: config.temporal.address,
    ...tlsConfig(config.temporal),
  });
  const activities = createActivities({
    catalogDir: path.resolve(config.catalogDir),
    prometheus: new PrometheusClient({
      url: config.prometheusUrl,
      ...(config.prometheusHeaders ? { headers: config.prometheusHeaders } : {}),
    }),
    temporal: client,
    store: config.store ?? fileStore(path.resolve(config.dataDir)),
    providers: { gitCacheDir: path.resolve(config.dataDir, 'git-cache'), ...(github ? { github } : {}) },
    secrets,
    notify,
    ...(config.allowedSignersFile ? { allowedSignersFile: path.resolve(config.allowedSignersFile) } : {}),
  });
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = config.workflowBundlePath
    ? { workflowBundle: { codePath: config.workflowBundlePath } }
    : { workflowsPath: require.resolve('../../workflows') };
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: TASK_QUEUE,
    activities,
    ...workflows,
    shutdownGraceTime: config.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    ...(config.identity ? { identity: config.identity } : {}),
  });
  if (config.startEvaluation) {
    await ensureFleetEvaluation(client, config.intervalMs, config.timings);
    config.log(`fleet evaluation running every ${config.intervalMs / 1000}s`);
  }
  return worker;
}
