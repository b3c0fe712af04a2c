// Finds the Temporal CLI (which embeds the dev server), building it with `go install` on first use.
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { toolsCacheDir } from './cache';
import { findOnPath, isExecutable, runCommand } from '../process/exec';
import { withFileLock } from '../lock/file-lock';
import { BUILD_LOCK } from './log';
import { silentLog, type EnsureToolOptions, type ToolLog } from './log';
import { errorMessage } from '../errors';

const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** Newest first. v1.6+ cannot be `go install`ed: its go.mod has a replace directive. */
export const TEMPORAL_CLI_VERSIONS = ['v1.5.1', 'v1.5.0', 'v1.4.1'] as const;

export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(toolsCacheDir(env), 'bin', 'temporal');
}

/** Absolute path of a working `temporal` binary: $TEMPORAL_CLI, then $PATH, then the cache, then a build. */
export async function ensureTemporalCli(options: EnsureToolOptions = {}): Promise<string> {
  const log = options.log ?? silentLog;
  const env = options.env ?? process.env;
  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await isExecutable(fromEnv)) return resolve(fromEnv);
    throw new Error(
      `TEMPORAL_CLI=${fromEnv} is not an executable file: point it at a temporal binary or unset it`,
    );
  }
  const onPath = await findOnPath('temporal', env);
  if (onPath !== undefined) return onPath;
  const cached = cachedTemporalCliPath(env);
  if (await isExecutable(cached)) return cached;
  const lockPath = join(toolsCacheDir(env), 'locks', 'temporal-cli.lock');
  return withFileLock(
    lockPath,
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (!(await isExecutable(cached))) await buildTemporalCli(cached, log, env);
      return cached;
    },
    BUILD_LOCK(log),
  );
}

async function buildTemporalCli(target: string, log: ToolLog, env: NodeJS.ProcessEnv): Promise<void> {
  const go = await findOnPath('go', env);
  if (go === undefined) throw new Error(missingTemporalCliMessage(target, ['Go is not on PATH']));
  const binDir = dirname(target);
  await mkdir(binDir, { recursive: true });
  await removeAbandonedBuilds(binDir);
  // Build into a private GOBIN and rename: a killed build never leaves a half-written `temporal` behind.
  const buildDir = await mkdtemp(join(binDir, '.build-'));
  const failures: string[] = [];
  try {
    for (const version of TEMPORAL_CLI_VERSIONS) {
      try {
        await goInstall(go, version, buildDir, log, env);
        const built = join(buildDir, 'temporal');
        await runCommand(built, ['--version']);
        await rename(built, target);
        log(`Temporal CLI ${version} installed at ${target}`);
        return;
      } catch (err) {
        failures.push(`${version}: ${lastLines(errorMessage(err), 15)}`);
        log(`building Temporal CLI ${version} failed`);
      }
    }
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
  throw new Error(missingTemporalCliMessage(target, failures));
}

async function goInstall(
  go: string,
  version: string,
  gobin: string,
  log: ToolLog,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`building Temporal CLI ${version} with \`go install\` (takes several minutes on a small machine)...`);
  const heartbeat = setInterval(() => log(`still building Temporal CLI ${version} (${elapsed()})`), 30_000);
  heartbeat.unref();
  try {
    await runCommand(go, ['install', `${TEMPORAL_CLI_MODULE}@${version}`], {
      env: { ...env, CGO_ENABLED: '0', GOBIN: gobin },
    });
    log(`built Temporal CLI ${version} in ${elapsed()}`);
  } finally {
    clearInterval(heartbeat);
  }
}

/** Build directories left by killed builds; safe to delete because we hold the lock. */
async function removeAbandonedBuilds(binDir: string): Promise<void> {
  for (const entry of await readdir(binDir)) {
    if (entry.startsWith('.build-')) await rm(join(binDir, entry), { recursive: true, force: true });
  }
}

function missingTemporalCliMessage(target: string, reasons: string[]): string {
  return [
    'Temporal CLI not found and could not be built.',
    'Do one of: install it (https://docs.temporal.io/cli#install) and put `temporal` on PATH;',
    'set TEMPORAL_CLI=/path/to/temporal;',
    `or install Go (https://go.dev/dl/) so SafeDeploy can build it into ${target}.`,
    ...reasons.map((reason) => `  - ${reason}`),
  ].join('\n');
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
