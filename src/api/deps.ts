// What the API reads from, built once by `safedeploy api` (or a test) and injected into the server.
import type { Catalog } from '../catalog/model';
import { AuditBuffer, type AuditSink } from '../evidence/audit-buffer';
import { openPostgres } from '../store/open';
import { PrometheusClient } from '../prometheus/client';
import type { TemporalOptions } from '../temporal/connection';
import { CatalogSource } from './catalog-source';
import { FleetEvaluator } from './fleet';
import { GateInputReader } from './gate-inputs';
import { ApiMetrics } from './metrics';
import { lazyTemporal, type TemporalAccess } from './temporal';

export interface ApiDeps {
  catalog: CatalogSource;
  prometheus: PrometheusClient;
  temporal: TemporalAccess;
  metrics: ApiMetrics;
  fleet: FleetEvaluator;
  /** Where gate answers are recorded (audit stream gate); absent when the API has no data directory. */
  gateLog?: AuditBuffer;
  gate: GateInputReader;
  now: () => Date;
}

/** The gate's staleness bound when none is configured: the default refresh (evaluation) interval. */
export const DEFAULT_GATE_MAX_AGE_MS = 30_000;

export interface ApiDepsOptions {
  catalogDir: string;
  /** The catalog already loaded from catalogDir, if the caller validated it. */
  catalog?: Catalog;
  prometheusUrl: string;
  /** Authorization and --prometheus-header headers for Prometheus (from prometheusClientOptions); secrets, never logged. */
  prometheusHeaders?: Record<string, string>;
  temporal: TemporalOptions;
  /**
   * Bounds each dependency read: every Temporal read, and each Prometheus request (retried once).
   * The gate answers within about 3x this, inside Argo Rollouts' web provider timeout.
   */
  timeoutMs: number;
  processMetrics?: boolean;
  /** The data directory whose audit stream gate records every gate answer. */
  dataDir?: string;
  /** PostgreSQL for the gate stream instead of files (SAFEDEPLOY_DATABASE_URL), shared by every API replica. */
  databaseUrl?: string;
  /** Told when an append to the gate stream fails (its records stay buffered). */
  onGateLogError?: (err: unknown) => void;
  /** How old the gate's inputs may be (default DEFAULT_GATE_MAX_AGE_MS). */
  gateMaxAgeMs?: number;
  /** The clock; benchmarks replaying a backfilled history set it to the history's end. */
  now?: () => Date;
}

/** Loads the catalog (a CatalogError stops startup); Temporal is connected lazily, on first use. */
export async function createApiDeps(options: ApiDepsOptions): Promise<ApiDeps> {
  const catalog = options.catalog
    ? new CatalogSource(options.catalogDir, options.catalog)
    : await CatalogSource.load(options.catalogDir);
  const prometheus = new PrometheusClient({
    url: options.prometheusUrl,
    ...(options.prometheusHeaders ? { headers: options.prometheusHeaders } : {}),
    timeoutMs: options.timeoutMs,
    retries: 1,
  });
  const metrics = new ApiMetrics({ processMetrics: options.processMetrics ?? false });
  // Not migrated here (the workers do): until the schema exists, appends fail and the buffer keeps them.
  const sink = options.databaseUrl ? openPostgres(options.databaseUrl) : undefined;
  const gateLog =
    options.dataDir === undefined && sink === undefined
      ? undefined
      : gateLogFor(options, options.dataDir ?? '', metrics, sink);
  const temporal = lazyTemporal(options.temporal, options.timeoutMs);
  const fleet = new FleetEvaluator({ catalog, prometheus, metrics });
  const deps: ApiDeps = {
    catalog,
    prometheus,
    temporal,
    metrics,
    fleet,
    ...(gateLog ? { gateLog } : {}),
    // The gate reads the clock through deps, so a caller that sets deps.now moves the gate's too.
    gate: new GateInputReader(
      { fleet, temporal, now: () => deps.now() },
      options.gateMaxAgeMs ?? DEFAULT_GATE_MAX_AGE_MS,
    ),
    now: options.now ?? (() => new Date()),
  };
  return deps;
}

function gateLogFor(
  options: ApiDepsOptions,
  dataDir: string,
  metrics: ApiMetrics,
  sink: AuditSink | undefined,
): AuditBuffer {
  const buffer = new AuditBuffer({
    dataDir,
    ...(sink ? { sink } : {}),
    stream: 'gate',
    freshIds: true,
    onError: (err) => {
      metrics.gateRecordWriteFailed();
      options.onGateLogError?.(err);
    },
  });
  metrics.watchGateLog(() => buffer.stats().pending);
  return buffer;
}
