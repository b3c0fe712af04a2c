// VictoriaMetrics (single-node), a Prometheus-compatible backend: Debian's `victoria-metrics` package
// (1.79) unpacked into the tools cache on first use. Override with VICTORIA_METRICS_BIN=<binary>.
import { join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { fetchDebianPackage } from './debian-package';
import { isExecutable } from '../process/exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK, silentLog, type EnsureToolOptions } from './log';

const PACKAGE = 'victoria-metrics';
const BINARY = join('usr', 'bin', PACKAGE);

export async function ensureVictoriaMetrics(options: EnsureToolOptions = {}): Promise<string> {
  const log = options.log ?? silentLog;
  const env = options.env ?? process.env;
  const override = env.VICTORIA_METRICS_BIN;
  if (override !== undefined && override !== '') {
    if (await isExecutable(override)) return resolve(override);
    throw new Error(`VICTORIA_METRICS_BIN=${override} is not an executable victoria-metrics binary`);
  }
  const root = join(toolsCacheDir(env), PACKAGE);
  const binary = join(root, BINARY);
  if (await isExecutable(binary)) return binary;
  return withFileLock(
    join(toolsCacheDir(env), 'locks', `${PACKAGE}.lock`),
    async () => {
      if (!(await isExecutable(binary)))
        await fetchDebianPackage(
          { name: PACKAGE, root, check: [BINARY], missing: missingVictoriaMetricsMessage },
          log,
          env,
        );
      return binary;
    },
    BUILD_LOCK(log),
  );
}

function missingVictoriaMetricsMessage(reasons: string[]): string {
  return `cannot fetch Debian's ${PACKAGE} package (${reasons.join('; ')}); set VICTORIA_METRICS_BIN=<binary>`;
}
