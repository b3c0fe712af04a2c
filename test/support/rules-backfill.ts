// The backfill docs/RECORDING-RULES.md documents for a new installation, step by step: generate the
// short-window rules and the SLO-window rules as two files (`rules generate --part`), backfill the
// first with `promtool tsdb create-blocks-from rules`, let Prometheus load the blocks, then backfill
// the second, which reads the 5m series the first pass wrote.
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../src/process/exec';
import { startPrometheus, type PrometheusServer } from '../../src/servers/prometheus-server';
import { ensurePrometheus } from '../../src/tools/prometheus-bin';
import { runCli } from './cli';

export interface BackfillRange {
  catalogDir: string;
  /** Unix seconds. */
  start: number;
  end: number;
  evalInterval: string;
}

/** A Prometheus over one data directory that can be restarted (to load backfilled blocks). */
export class RestartablePrometheus {
  private server: PrometheusServer | undefined;
  constructor(readonly dataDir: string) {}

  get url(): string {
    return this.server!.url;
  }

  async start(backfill?: string): Promise<void> {
    this.server = await startPrometheus({ dataDir: this.dataDir, ...(backfill ? { backfill } : {}) });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

export async function backfillRules(prometheus: RestartablePrometheus, range: BackfillRange): Promise<void> {
  for (const part of ['short', 'period'] as const) {
    const file = path.join(prometheus.dataDir, `rules-${part}.yaml`);
    const generated = await runCli([
      'rules',
      'generate',
      '--catalog',
      range.catalogDir,
      '--part',
      part,
      '--out',
      file,
    ]);
    if (generated.code !== 0) throw new Error(`rules generate --part ${part}: ${generated.stderr}`);
    const out = await mkdtemp(path.join(prometheus.dataDir, `blocks-${part}-`));
    const { promtool } = await ensurePrometheus();
    await runCommand(promtool, [
      'tsdb',
      'create-blocks-from',
      'rules',
      `--start=${range.start}`,
      `--end=${range.end}`,
      `--url=${prometheus.url}`,
      `--eval-interval=${range.evalInterval}`,
      `--output-dir=${out}`,
      file,
    ]);
    const tsdb = path.join(prometheus.dataDir, 'tsdb');
    for (const block of await readdir(out)) await rename(path.join(out, block), path.join(tsdb, block));
    await rm(out, { recursive: true, force: true });
    // Prometheus loads new blocks within a minute by itself; a restart loads them now.
    await prometheus.stop();
    await prometheus.start();
  }
}
