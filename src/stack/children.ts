// The SafeDeploy processes of the stack — the worker and the HTTP API — run as children through the
// same CLI users run (`safedeploy worker`, `safedeploy api`), so the stack exercises exactly that.
import { startManagedProcess, type ManagedProcess } from '../process/managed-process';
import { pollUntil } from '../process/poll';
import { cliLauncher } from './layout';
import { errorMessage } from '../errors';

/** Durations (Prometheus syntax) short enough to watch a whole incident in minutes. */
export interface DemoTimings {
  interval: string;
  cooldown: string;
  proposalTtl: string;
  mergePoll: string;
  postmortemReminder: string;
}

export const DEMO_TIMINGS: DemoTimings = {
  interval: '5s',
  cooldown: '15s',
  proposalTtl: '30m',
  mergePoll: '2s',
  postmortemReminder: '10m',
};

export interface ChildCommon {
  catalogDir: string;
  prometheusUrl: string;
  temporalAddress: string;
  namespace: string;
}

export function startWorkerChild(
  common: ChildCommon,
  dataDir: string,
  timings: DemoTimings,
  allowedSigners: string,
): ManagedProcess {
  return safedeploy([
    'worker',
    ...commonFlags(common),
    ['--data-dir', dataDir],
    ['--allowed-signers', allowedSigners],
    ['--interval', timings.interval],
    ['--cooldown', timings.cooldown],
    ['--proposal-ttl', timings.proposalTtl],
    ['--merge-poll', timings.mergePoll],
    ['--postmortem-reminder', timings.postmortemReminder],
  ]);
}

/** Starts `safedeploy api` on 127.0.0.1:`port` and waits until /healthz answers. */
export async function startApiChild(
  common: ChildCommon,
  port: number,
  tokenFile: string,
  dataDir: string,
): Promise<ManagedProcess> {
  const child = safedeploy([
    'api',
    ...commonFlags(common),
    ['--data-dir', dataDir],
    ['--listen', `127.0.0.1:${port}`],
    ['--token-file', tokenFile],
    ['--refresh-interval', '10s'],
  ]);
  const url = `http://127.0.0.1:${port}/healthz`;
  try {
    await pollUntil(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok, {
      timeoutMs: 60_000,
      intervalMs: 300,
      what: url,
      abortReason: () => child.exitReason(),
    });
  } catch (err) {
    await child.stop(2_000);
    throw new Error(`the SafeDeploy API did not start: ${errorMessage(err)}\n${child.output().trim()}`, {
      cause: err,
    });
  }
  return child;
}

function commonFlags(common: ChildCommon): [string, string][] {
  return [
    ['--catalog', common.catalogDir],
    ['--prometheus', common.prometheusUrl],
    ['--address', common.temporalAddress],
    ['--namespace', common.namespace],
  ];
}

function safedeploy(args: (string | [string, string])[]): ManagedProcess {
  return startManagedProcess(process.execPath, [cliLauncher(), ...args.flat()]);
}
