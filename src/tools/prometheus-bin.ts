// Finds `prometheus` and `promtool`, fetching Debian's package into the tools cache on first use. The package is
// only unpacked (dpkg -x): nothing is installed system-wide and no service is started.
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { findOnPath, isExecutable, runCommand } from './exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK } from './log';
import { silentLog, type EnsureToolOptions, type ToolLog } from './log';

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
      await fetchDebianPackage(root, log, env);
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

async function fetchDebianPackage(root: string, log: ToolLog, env: NodeJS.ProcessEnv): Promise<void> {
  const aptGet = await findOnPath('apt-get', env);
  const dpkg = await findOnPath('dpkg', env);
  if (aptGet === undefined || dpkg === undefined) {
    throw new Error(missingPrometheusMessage(['apt-get/dpkg are not available (not a Debian-like system)']));
  }
  const cache = dirname(root);
  await mkdir(cache, { recursive: true });
  await removeAbandonedDownloads(cache);
  // Unpack beside the final directory, then rename: an interrupted fetch never looks like a usable install.
  const workDir = await mkdtemp(join(cache, '.prometheus-'));
  try {
    const deb = await downloadDeb(aptGet, workDir, log, env);
    const unpacked = join(workDir, 'root');
    await runCommand(dpkg, ['-x', deb, unpacked], { env });
    for (const tool of ['prometheus', 'promtool'])
      await runCommand(join(unpacked, 'usr', 'bin', tool), ['--version']);
    await rm(root, { recursive: true, force: true });
    await rename(unpacked, root);
    log(`Prometheus unpacked into ${root}`);
  } catch (err) {
    throw new Error(missingPrometheusMessage([err instanceof Error ? err.message : String(err)]), {
      cause: err,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function downloadDeb(
  aptGet: string,
  dir: string,
  log: ToolLog,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  log('downloading Prometheus with `apt-get download prometheus`...');
  try {
    await runCommand(aptGet, ['download', 'prometheus'], { cwd: dir, env });
  } catch {
    // Usually stale or missing package lists (fresh containers ship none).
    log('apt-get download failed; running `apt-get update` and retrying...');
    await runCommand(aptGet, ['update'], { env });
    await runCommand(aptGet, ['download', 'prometheus'], { cwd: dir, env });
  }
  const deb = (await readdir(dir)).find((name) => name.startsWith('prometheus_') && name.endsWith('.deb'));
  if (deb === undefined) throw new Error(`apt-get download prometheus left no prometheus_*.deb in ${dir}`);
  return join(dir, deb);
}

async function removeAbandonedDownloads(cache: string): Promise<void> {
  for (const entry of await readdir(cache)) {
    if (entry.startsWith('.prometheus-')) await rm(join(cache, entry), { recursive: true, force: true });
  }
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
