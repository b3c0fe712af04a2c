// The Prometheus-compatible backends the SLO engine is tested against: Debian's Prometheus 2.42, Prometheus 3
// built from its Go module, and Debian's VictoriaMetrics 1.79. Each starts on a fresh temporary directory
// with optional backfilled history and live scrape targets; stop() also deletes the directory.
import { ensurePrometheus3 } from '../../src/tools/prometheus3-bin';
import {
  startPrometheus,
  type PrometheusServer,
  type ScrapeTarget,
} from '../../src/servers/prometheus-server';
import { startVictoriaMetrics } from '../../src/servers/victoria-metrics-server';
import { startOnTempDir } from '../harness/prometheus';

export interface BackendOptions {
  backfill?: string;
  scrapeTargets?: ScrapeTarget[];
}

export interface Backend {
  name: string;
  start(dataDir: string, options: BackendOptions): Promise<PrometheusServer>;
}

export const BACKENDS: readonly Backend[] = [
  { name: 'Prometheus 2.42', start: (dataDir, options) => startPrometheus({ dataDir, ...options }) },
  {
    name: 'Prometheus 3',
    start: async (dataDir, options) =>
      startPrometheus({ dataDir, ...options, binaries: await ensurePrometheus3() }),
  },
  {
    name: 'VictoriaMetrics 1.79',
    start: (dataDir, options) => startVictoriaMetrics({ dataDir, ...options }),
  },
];

export function startBackend(backend: Backend, options: BackendOptions): Promise<PrometheusServer> {
  return startOnTempDir('safedeploy-backend-', (dataDir) => backend.start(dataDir, options));
}
