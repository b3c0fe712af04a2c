// Finds Alertmanager for tests and local runs: $ALERTMANAGER_BIN, then $PATH (alertmanager or Debian's
// prometheus-alertmanager), then the tools cache, then Debian's package fetched into the cache
// (src/tools/debian-package.ts), the way Prometheus itself is found.
//
// Debian's build reads its notification templates from a compiled-in /usr/share/prometheus/alertmanager,
// which an unpacked (not installed) package does not have. The cached binary is therefore a copy with
// that path replaced, byte for byte, by an equally long path to a link into the unpacked package.
import { chmod, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { fetchDebianPackage } from './debian-package';
import { findOnPath, isExecutable } from '../process/exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK, silentLog, type EnsureToolOptions } from './log';

const DEBIAN_BINARY = join('usr', 'bin', 'prometheus-alertmanager');
const PATCHED_BINARY = join('usr', 'bin', 'safedeploy-alertmanager');
const DEBIAN_SHARE = '/usr/share/prometheus/alertmanager';

export function cachedAlertmanagerRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsCacheDir(env), 'alertmanager');
}

export async function ensureAlertmanager(options: EnsureToolOptions = {}): Promise<string> {
  const log = options.log ?? silentLog;
  const env = options.env ?? process.env;
  const fromEnv = env.ALERTMANAGER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await isExecutable(resolve(fromEnv))) return resolve(fromEnv);
    throw new Error(`ALERTMANAGER_BIN=${fromEnv} is not an executable Alertmanager binary`);
  }
  const onPath =
    (await findOnPath('alertmanager', env)) ?? (await findOnPath('prometheus-alertmanager', env));
  if (onPath !== undefined) return onPath;
  const root = cachedAlertmanagerRoot(env);
  const cached = join(root, PATCHED_BINARY);
  if ((await isExecutable(cached)) && (await shareLinkReady(root))) return cached;
  return withFileLock(
    join(toolsCacheDir(env), 'locks', 'alertmanager.lock'),
    async () => {
      if (!(await isExecutable(join(root, DEBIAN_BINARY))))
        await fetchDebianPackage(
          {
            name: 'prometheus-alertmanager',
            root,
            check: [DEBIAN_BINARY],
            missing: missingAlertmanagerMessage,
          },
          log,
          env,
        );
      await patchShareDir(root);
      return cached;
    },
    BUILD_LOCK(log),
  );
}

/** Where the patched binary finds the package's share directory: a link as long as DEBIAN_SHARE. */
function shareLink(root: string): { link: string; padded: string } {
  const link = join(root, '..', 'am-share');
  if (link.length > DEBIAN_SHARE.length)
    throw new Error(
      `the tools cache path ${root} is too long for Alertmanager's template directory; set XDG_CACHE_HOME to a shorter one`,
    );
  // Linux reads repeated slashes as one, so the path is padded to the original's length with them.
  return { link, padded: '/'.repeat(DEBIAN_SHARE.length - link.length) + link };
}

async function shareLinkReady(root: string): Promise<boolean> {
  const target = await readlink(shareLink(root).link).catch(() => undefined);
  return target === join(root, 'usr', 'share', 'prometheus', 'alertmanager');
}

async function patchShareDir(root: string): Promise<void> {
  const { link, padded } = shareLink(root);
  const target = join(root, 'usr', 'share', 'prometheus', 'alertmanager');
  if (!(await shareLinkReady(root))) {
    await rm(link, { force: true });
    await symlink(target, link);
  }
  const binary = await readFile(join(root, DEBIAN_BINARY));
  const from = Buffer.from(DEBIAN_SHARE);
  const to = Buffer.from(padded);
  let replaced = 0;
  for (let at = binary.indexOf(from); at !== -1; at = binary.indexOf(from, at + to.length)) {
    to.copy(binary, at);
    replaced++;
  }
  if (replaced === 0) throw new Error(`${join(root, DEBIAN_BINARY)} does not mention ${DEBIAN_SHARE}`);
  await writeFile(join(root, PATCHED_BINARY), binary);
  await chmod(join(root, PATCHED_BINARY), 0o755);
}

function missingAlertmanagerMessage(reasons: string[]): string {
  return [
    'Alertmanager not found and could not be fetched.',
    'Do one of: put alertmanager (https://prometheus.io/download/) on PATH; set ALERTMANAGER_BIN=/path/to/alertmanager;',
    'or, on Debian/Ubuntu, make `apt-get download prometheus-alertmanager` work (run as root: apt-get update).',
    ...reasons.map((reason) => `  - ${reason}`),
  ].join('\n');
}
