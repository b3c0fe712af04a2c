// Starts a throwaway Prometheus for tests and demos: optional backfilled history (OpenMetrics text turned
// into TSDB blocks with promtool) and optional live scrape targets, listening on 127.0.0.1 only.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCommand } from '../process/exec';
import { silentLog, type ToolLog } from '../tools/log';
import { outputSection, startManagedProcess, type ManagedProcess } from '../process/managed-process';
import { pollUntil } from '../process/poll';
import { freePort } from '../process/ports';
import { ensurePrometheus, type PrometheusBinaries } from '../tools/prometheus-bin';
import { errorMessage } from '../errors';

export interface ScrapeTarget {
  job: string;
  /** host:port pairs serving /metrics. */
  targets: string[];
  /** Prometheus duration such as "1s"; the global 1 s when omitted. */
  interval?: string;
}

export interface StartPrometheusOptions {
  /** Working directory of this instance: prometheus.yml, the backfill input and the TSDB (tsdb/) go here. */
  dataDir: string;
  scrapeTargets?: ScrapeTarget[];
  /** Alerting and recording rules (a rule file's YAML, `groups:`), evaluated every second. */
  rules?: string;
  /** host:port of Alertmanagers the alerts are sent to. */
  alertmanagers?: string[];
  /** OpenMetrics text (timestamps in seconds) imported before start; "# EOF" is appended when missing. */
  backfill?: string;
  port?: number;
  binaries?: PrometheusBinaries;
  readyTimeoutMs?: number;
  log?: ToolLog;
}

export interface PrometheusServer {
  url: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;
/**
 * promtool re-reads the whole input once per block it writes, so the default 2 h blocks make a 31-day history
 * cost ~370 passes. 1458h (the largest aligned range below 100 days) writes it in one or two blocks.
 */
const BACKFILL_MAX_BLOCK_DURATION = '1458h';
/** Backfilled history is weeks old; the default 15 d retention would delete it at startup. */
const RETENTION = '3650d';

export async function startPrometheus(options: StartPrometheusOptions): Promise<PrometheusServer> {
  const log = options.log ?? silentLog;
  const binaries = options.binaries ?? (await ensurePrometheus({ log }));
  const tsdbDir = join(options.dataDir, 'tsdb');
  await mkdir(tsdbDir, { recursive: true });
  const configFile = join(options.dataDir, 'prometheus.yml');
  const rulesFile = join(options.dataDir, 'rules.yml');
  if (options.rules !== undefined) await writeFile(rulesFile, options.rules);
  await writeFile(
    configFile,
    prometheusConfig(options.scrapeTargets ?? [], {
      ...(options.rules !== undefined ? { rulesFile } : {}),
      alertmanagers: options.alertmanagers ?? [],
    }),
  );
  if (options.backfill !== undefined)
    await backfill(binaries.promtool, options.dataDir, tsdbDir, options.backfill);
  // A free port can be taken by someone else before Prometheus binds it; with our own picks, try again.
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const url = `http://${HOST}:${port}`;
    const child = startManagedProcess(binaries.prometheus, [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${tsdbDir}`,
      `--storage.tsdb.retention.time=${RETENTION}`,
      `--web.listen-address=${HOST}:${port}`,
      '--log.level=warn',
    ]);
    try {
      await waitForReady(url, child, options.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await child.stop(2_000);
      if (attempt < attempts && /address already in use/i.test(child.output())) continue;
      throw new Error(
        `Prometheus (${binaries.prometheus}) did not become ready at ${url}: ${errorMessage(err)}` +
          outputSection('prometheus', child.output()),
        { cause: err },
      );
    }
    log(`Prometheus ready at ${url} (pid ${child.pid}, data ${options.dataDir})`);
    return { url, stop: () => child.stop(10_000) };
  }
}

function prometheusConfig(
  scrapeTargets: ScrapeTarget[],
  alerting: { rulesFile?: string; alertmanagers: string[] },
): string {
  return stringify({
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    ...(alerting.rulesFile ? { rule_files: [alerting.rulesFile] } : {}),
    ...(alerting.alertmanagers.length > 0
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: alerting.alertmanagers }] }] } }
      : {}),
    scrape_configs: scrapeTargets.map((target) => ({
      job_name: target.job,
      ...(target.interval !== undefined ? { scrape_interval: target.interval } : {}),
      static_configs: [{ targets: target.targets }],
    })),
  });
}

async function backfill(
  promtool: string,
  dataDir: string,
  tsdbDir: string,
  openMetrics: string,
): Promise<void> {
  const input = join(dataDir, 'backfill.om');
  const trimmed = openMetrics.trimEnd();
  await writeFile(input, `${trimmed.endsWith('# EOF') ? trimmed : `${trimmed}\n# EOF`}\n`);
  try {
    await runCommand(promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      `--max-block-duration=${BACKFILL_MAX_BLOCK_DURATION}`,
      input,
      tsdbDir,
    ]);
  } catch (err) {
    throw new Error(`backfilling ${input} into ${tsdbDir} failed: ${errorMessage(err)}`, { cause: err });
  }
}

async function waitForReady(url: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  await pollUntil(async () => (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok, {
    timeoutMs,
    intervalMs: 200,
    what: `${url}/-/ready`,
    abortReason: () => child.exitReason(),
  });
}
