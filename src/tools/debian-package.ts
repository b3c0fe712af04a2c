// Fetches a Debian package into the tools cache without installing it: `apt-get download`, then
// `dpkg -x` into a temporary directory beside the final one and a rename, so an interrupted fetch
// never looks like a usable install. No service is started and nothing is written system-wide.
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { findOnPath, runCommand } from '../process/exec';
import type { ToolLog } from './log';
import { errorMessage } from '../errors';

export interface DebianPackage {
  /** The Debian package name, e.g. prometheus-alertmanager. */
  name: string;
  /** Where the package is unpacked (its usr/bin ends up under it). */
  root: string;
  /** Executables (relative to root) run with --version to prove the unpacked package works. */
  check: string[];
  /** Turns the reasons of a failure into the operator's message (what to install instead). */
  missing: (reasons: string[]) => string;
}

export async function fetchDebianPackage(
  pkg: DebianPackage,
  log: ToolLog,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const aptGet = await findOnPath('apt-get', env);
  const dpkg = await findOnPath('dpkg', env);
  if (aptGet === undefined || dpkg === undefined)
    throw new Error(pkg.missing(['apt-get/dpkg are not available (not a Debian-like system)']));
  const cache = dirname(pkg.root);
  await mkdir(cache, { recursive: true });
  const prefix = `.${pkg.name}-`;
  for (const entry of await readdir(cache))
    if (entry.startsWith(prefix)) await rm(join(cache, entry), { recursive: true, force: true });
  const workDir = await mkdtemp(join(cache, prefix));
  try {
    const deb = await downloadDeb(aptGet, pkg.name, workDir, log, env);
    const unpacked = join(workDir, 'root');
    await runCommand(dpkg, ['-x', deb, unpacked], { env });
    for (const tool of pkg.check) await runCommand(join(unpacked, tool), ['--version']);
    await rm(pkg.root, { recursive: true, force: true });
    await rename(unpacked, pkg.root);
    log(`${pkg.name} unpacked into ${pkg.root}`);
  } catch (err) {
    throw new Error(pkg.missing([errorMessage(err)]), { cause: err });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function downloadDeb(
  aptGet: string,
  name: string,
  dir: string,
  log: ToolLog,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  log(`downloading with \`apt-get download ${name}\`...`);
  try {
    await runCommand(aptGet, ['download', name], { cwd: dir, env });
  } catch {
    // Usually stale or missing package lists (fresh containers ship none).
    log('apt-get download failed; running `apt-get update` and retrying...');
    await runCommand(aptGet, ['update'], { env });
    await runCommand(aptGet, ['download', name], { cwd: dir, env });
  }
  const deb = (await readdir(dir)).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'));
  if (deb === undefined) throw new Error(`apt-get download ${name} left no ${name}_*.deb in ${dir}`);
  return join(dir, deb);
}
