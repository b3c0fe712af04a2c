// A throwaway single-node VictoriaMetrics for tests, serving the Prometheus query API like
// prometheus-server.ts's Prometheus: optional backfilled history and live scrape targets, 127.0.0.1 only.
// VictoriaMetrics 1.79 backfills through its import API: the same OpenMetrics text is sent to
// /api/v1/import/prometheus with timestamps in milliseconds (the Prometheus text format's unit).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { silentLog, type ToolLog } from '../tools/log';
import { outputSection, startManagedProcess } from '../process/managed-process';
import { pollUntil } from '../process/poll';
import { freePort } from '../process/ports';
import type { PrometheusServer, ScrapeTarget } from './prometheus-server';
import { ensureVictoriaMetrics } from '../tools/victoria-metrics-bin';
import { errorMessage } from '../errors';

export interface StartVictoriaMetricsOptions {
  dataDir: string;
  /** OpenMetrics text with timestamps in seconds, as for startPrometheus. */
  backfill?: string;
  scrapeTargets?: ScrapeTarget[];
  binary?: string;
  readyTimeoutMs?: number;
  log?: ToolLog;
}

const HOST = '127.0.0.1';

export async function startVictoriaMetrics(options: StartVictoriaMetricsOptions): Promise<PrometheusServer> {
  const log = options.log ?? silentLog;
  const binary = options.binary ?? (await ensureVictoriaMetrics({ log }));
  await mkdir(options.dataDir, { recursive: true });
  const scrapeConfig = join(options.dataDir, 'scrape.yml');
  await writeFile(scrapeConfig, scrapeConfigText(options.scrapeTargets ?? []));
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const child = startManagedProcess(binary, [
    `-storageDataPath=${join(options.dataDir, 'data')}`,
    `-httpListenAddr=${HOST}:${port}`,
    // Backfilled history is months old: the default one-month retention would refuse it.
    '-retentionPeriod=100y',
    // Answers must reflect data imported after start, and samples as soon as they are scraped.
    '-search.disableCache',
    '-search.latencyOffset=1s',
    `-promscrape.config=${scrapeConfig}`,
    '-loggerLevel=ERROR',
  ]);
  try {
    await pollUntil(async () => (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).ok, {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      what: `${url}/health`,
      abortReason: () => child.exitReason(),
    });
    if (options.backfill !== undefined) await importHistory(url, options.backfill);
  } catch (err) {
    await child.stop(2_000);
    throw new Error(
      `VictoriaMetrics (${binary}) did not start at ${url}: ${errorMessage(err)}` +
        outputSection('victoria-metrics', child.output()),
      { cause: err },
    );
  }
  log(`VictoriaMetrics ready at ${url} (pid ${child.pid}, data ${options.dataDir})`);
  return { url, stop: () => child.stop(10_000) };
}

function scrapeConfigText(targets: ScrapeTarget[]): string {
  return stringify({
    global: { scrape_interval: '1s' },
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      ...(t.interval !== undefined ? { scrape_interval: t.interval } : {}),
      static_configs: [{ targets: t.targets }],
    })),
  });
}

/** OpenMetrics (seconds) → Prometheus text (milliseconds), imported and flushed so queries see it. */
async function importHistory(url: string, openMetrics: string): Promise<void> {
  const body = toPrometheusText(openMetrics);
  const response = await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body });
  if (!response.ok) throw new Error(`import failed: HTTP ${response.status} ${await response.text()}`);
  const flushed = await fetch(`${url}/internal/force_flush`);
  if (!flushed.ok) throw new Error(`force_flush failed: HTTP ${flushed.status}`);
}

export function toPrometheusText(openMetrics: string): string {
  const lines: string[] = [];
  for (const line of openMetrics.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const lastSpace = line.lastIndexOf(' ');
    const seconds = Number(line.slice(lastSpace + 1));
    lines.push(`${line.slice(0, lastSpace)} ${Math.round(seconds * 1000)}`);
  }
  return `${lines.join('\n')}\n`;
}
