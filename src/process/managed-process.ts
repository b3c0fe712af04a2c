// A long-running child (a server) whose output is kept for error messages and which can be stopped reliably:
// SIGTERM first for a clean shutdown, SIGKILL if it does not exit within the grace period.
import { spawn, type ChildProcess } from 'node:child_process';
import { OutputTail } from './output-tail';

export interface ManagedProcess {
  readonly pid: number | undefined;
  /** Why the process is no longer running ("exited with code 1"), or undefined while it runs. */
  exitReason(): string | undefined;
  /** The end of its combined stdout and stderr. */
  output(): string;
  stop(graceMs?: number): Promise<void>;
}

export function startManagedProcess(
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): ManagedProcess {
  const child = spawn(command, args, { env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = new OutputTail(32 * 1024);
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exitReason = `could not start ${command}: ${err.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });
  return {
    pid: child.pid,
    exitReason: () => exitReason,
    output: () => tail.text(),
    stop: (graceMs = 10_000) => stopChild(child, exited, () => exitReason !== undefined, graceMs),
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<void>,
  hasExited: () => boolean,
  graceMs: number,
): Promise<void> {
  if (hasExited()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The captured output as the tail of an error message, or nothing when the process printed nothing. */
export function outputSection(label: string, output: string): string {
  const trimmed = output.trim();
  return trimmed === '' ? '' : `\n--- ${label} output ---\n${trimmed}`;
}
