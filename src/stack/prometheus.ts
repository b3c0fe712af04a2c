// The stack's Prometheus: data in the data folder, the demo service scraped every 2 s, and the
// demo service's healthy history backfilled for any time it has no data of (see history.ts).
import type { ToolLog } from '../tools/log';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server';
import { historyGap, historyOpenMetrics, recordCoverage } from './history';

export interface StackPrometheusOptions {
  dir: string;
  historyFile: string;
  port: number;
  demoTarget: string;
  service: string;
  rps: number;
  log: ToolLog;
}

const SCRAPE_INTERVAL = '2s';
const COVERAGE_EVERY_MS = 15_000;

export async function startStackPrometheus(options: StackPrometheusOptions): Promise<PrometheusServer> {
  const now = Math.floor(Date.now() / 1000);
  const gap = await historyGap(options.historyFile, now);
  if (gap) {
    const hours = ((gap.to - gap.from) / 3600).toFixed(1);
    options.log(
      `backfilling ${hours} h of ${options.service}'s healthy traffic (${options.rps} requests/s) into Prometheus`,
    );
  }
  const server = await startPrometheus({
    dataDir: options.dir,
    port: options.port,
    scrapeTargets: [{ job: 'demo', targets: [options.demoTarget], interval: SCRAPE_INTERVAL }],
    ...(gap ? { backfill: historyOpenMetrics(options.service, options.rps, gap) } : {}),
    log: options.log,
  });
  // From here live scrapes cover the time; remember it, so a restart backfills only the gap.
  const remember = () => recordCoverage(options.historyFile, new Date()).catch(() => undefined);
  await remember();
  const timer = setInterval(() => void remember(), COVERAGE_EVERY_MS);
  return {
    url: server.url,
    stop: async () => {
      clearInterval(timer);
      await remember();
      await server.stop();
    },
  };
}
