// Finds `prometheus` and `promtool`, fetching Debian's package into the tools cache on first use
// (src/tools/debian-package.ts: only unpacked, nothing installed system-wide, no service started).
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { fetchDebianPackage } from './debian-package';
import { findOnPath, isExecutable } from '../process/exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK, silentLog, type EnsureToolOptions } from './log';

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

export function cachedPrometheusRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsCacheDir(env), 'prometheus');
}

/** $PROMETHEUS_BIN, then $PATH, then the cache, then `apt-get download prometheus` into the cache. */
export async function ensurePrometheus(options: EnsureToolOptions = {}): Promise<PrometheusBinaries> {
  const log = options.log ?? silentLog;
  const env = options.env ?? process.env;
  const fromEnv = env.PROMETHEUS_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromPrometheusBinEnv(fromEnv);
  const onPath = await onSearchPath(env);
  if (onPath !== undefined) return onPath;
  const root = cachedPrometheusRoot(env);
  const cached = await besideEachOther(join(root, 'usr', 'bin'));
  if (cached !== undefined) return cached;
  const lockPath = join(toolsCacheDir(env), 'locks', 'prometheus.lock');
  return withFileLock(
    lockPath,
    async () => {
      const ready = await besideEachOther(join(root, 'usr', 'bin'));
      if (ready !== undefined) return ready; // fetched by another process while we waited
      await fetchDebianPackage(
        {
          name: 'prometheus',
          root,
          check: ['usr/bin/prometheus', 'usr/bin/promtool'],
          missing: missingPrometheusMessage,
        },
        log,
        env,
      );
      const fetched = await besideEachOther(join(root, 'usr', 'bin'));
      if (fetched === undefined)
        throw new Error(missingPrometheusMessage(['the Debian package has no usr/bin/promtool']));
      return fetched;
    },
    BUILD_LOCK(log),
  );
}

async function fromPrometheusBinEnv(value: string): Promise<PrometheusBinaries> {
  const path = resolve(value);
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const found = await besideEachOther(isDir ? path : dirname(path), isDir ? 'prometheus' : path);
  if (found !== undefined) return found;
  throw new Error(
    `PROMETHEUS_BIN=${value} must be a directory holding executable prometheus and promtool, ` +
      'or the path of a prometheus binary with promtool beside it',
  );
}

async function onSearchPath(env: NodeJS.ProcessEnv): Promise<PrometheusBinaries | undefined> {
  const prometheus = await findOnPath('prometheus', env);
  if (prometheus === undefined) return undefined;
  const beside = await besideEachOther(dirname(prometheus));
  if (beside !== undefined) return beside;
  const promtool = await findOnPath('promtool', env);
  return promtool === undefined ? undefined : { prometheus, promtool };
}

async function besideEachOther(
  dir: string,
  prometheusName = 'prometheus',
): Promise<PrometheusBinaries | undefined> {
  const prometheus = resolve(dir, prometheusName);
  const promtool = join(dir, 'promtool');
  return (await isExecutable(prometheus)) && (await isExecutable(promtool))
    ? { prometheus, promtool }
    : undefined;
}

function missingPrometheusMessage(reasons: string[]): string {
  return [
    'Prometheus not found and could not be fetched.',
    'Do one of: install Prometheus >= 2.42 (https://prometheus.io/download/) with prometheus and promtool on PATH;',
    'set PROMETHEUS_BIN=/dir/holding/both; or, on Debian/Ubuntu, make `apt-get download prometheus` work',
    '(run as root: apt-get update).',
    ...reasons.map((reason) => `  - ${reason}`),
  ].join('\n');
}
