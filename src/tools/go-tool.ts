// A tool built from a Go module with `go install` into the tools cache, once per machine: an override
// variable, then the cache, then a build under a lock (concurrent jest workers, CI steps and shells wait
// for one build). The build goes to a private GOBIN and is renamed into place, so a killed build never
// leaves a half-written binary. Used for Prometheus 3 and Sloth; see temporal-cli.ts for the Temporal CLI.
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { findOnPath, isExecutable, runCommand } from '../process/exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK, silentLog, type EnsureToolOptions } from './log';
import { errorMessage } from '../errors';

export interface GoTool {
  /** Human name for messages, e.g. "Prometheus 3". */
  title: string;
  /** Directory under the cache's bin/, e.g. "prometheus-v0.316.0". */
  cacheName: string;
  /** Module packages to install, each `module/cmd/x@version`; binary names are their last path part. */
  packages: string[];
  /** Variable naming a directory that already holds the binaries. */
  overrideEnv: string;
  /** Arguments that make each binary print its version (checks the build runs). */
  versionArgs: string[];
}

/** Binary name → absolute path. */
export type GoToolBinaries = Record<string, string>;

export function binaryNames(tool: GoTool): string[] {
  return tool.packages.map((p) => p.split('@')[0]!.split('/').pop()!);
}

export async function ensureGoTool(tool: GoTool, options: EnsureToolOptions = {}): Promise<GoToolBinaries> {
  const log = options.log ?? silentLog;
  const env = options.env ?? process.env;
  const override = env[tool.overrideEnv];
  if (override !== undefined && override !== '') {
    const found = await allIn(tool, resolve(override));
    if (found) return found;
    throw new Error(
      `${tool.overrideEnv}=${override} must be a directory holding ${binaryNames(tool).join(' and ')}`,
    );
  }
  const dir = join(toolsCacheDir(env), 'bin', tool.cacheName);
  const cached = await allIn(tool, dir);
  if (cached) return cached;
  const lockPath = join(toolsCacheDir(env), 'locks', `${tool.cacheName}.lock`);
  return withFileLock(
    lockPath,
    async () => {
      const ready = await allIn(tool, dir);
      if (ready) return ready; // built by another process while we waited
      await build(tool, dir, log, env);
      const built = await allIn(tool, dir);
      if (!built) throw new Error(`${tool.title}: the build left no binaries in ${dir}`);
      return built;
    },
    BUILD_LOCK(log),
  );
}

async function allIn(tool: GoTool, dir: string): Promise<GoToolBinaries | undefined> {
  const binaries: GoToolBinaries = {};
  for (const name of binaryNames(tool)) {
    const path = join(dir, name);
    if (!(await isExecutable(path))) return undefined;
    binaries[name] = path;
  }
  return binaries;
}

async function build(
  tool: GoTool,
  dir: string,
  log: (m: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const go = await findOnPath('go', env);
  if (go === undefined)
    throw new Error(`${tool.title} not found and Go is not on PATH: install Go or set ${tool.overrideEnv}`);
  const parent = join(dir, '..');
  await mkdir(parent, { recursive: true });
  const buildDir = await mkdtemp(join(parent, `.build-${tool.cacheName}-`));
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(
    `building ${tool.title} with \`go install ${tool.packages.join(' ')}\` (minutes on a small machine)...`,
  );
  const heartbeat = setInterval(() => log(`still building ${tool.title} (${elapsed()})`), 30_000);
  heartbeat.unref();
  try {
    await runCommand(go, ['install', ...tool.packages], {
      env: { ...env, CGO_ENABLED: '0', GOBIN: buildDir },
    });
    for (const name of binaryNames(tool)) await runCommand(join(buildDir, name), tool.versionArgs);
    await rm(dir, { recursive: true, force: true });
    await rename(buildDir, dir);
    log(`built ${tool.title} in ${elapsed()} into ${dir}`);
  } catch (err) {
    throw new Error(`${tool.title} could not be built: ${lastLines(errorMessage(err))}`, {
      cause: err,
    });
  } finally {
    clearInterval(heartbeat);
    if (await stat(buildDir).catch(() => undefined)) await rm(buildDir, { recursive: true, force: true });
  }
}

function lastLines(text: string, count = 15): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
