// The tour acts through the same `safedeploy` commands an operator types, and shows each one with
// its output, so the tour doubles as a lesson in the CLI.
import { spawn } from 'node:child_process';
import { cliLauncher } from '../../stack/layout';
import type { DemoContext } from './context';
import type { Say } from './runner';

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs `safedeploy <args>` against the tour's stack; a non-zero exit is an error carrying the output. */
export async function safedeploy(ctx: DemoContext, args: string[], say: Say): Promise<string> {
  say(`$ safedeploy ${args.map(quote).join(' ')}`);
  const result = await runCli(ctx, args);
  if (result.output.trim() !== '') say(result.output.trimEnd().replace(/^/gm, '  '));
  if (result.code !== 0) {
    throw new Error(
      `safedeploy ${args[0] ?? ''} ${args[1] ?? ''} exited with ${result.code}: ${result.output.trim()}`,
    );
  }
  return result.output;
}

function runCli(ctx: DemoContext, args: string[]): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliLauncher(), ...args], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: ctx.temporalAddress,
        TEMPORAL_NAMESPACE: ctx.namespace,
        PROMETHEUS_URL: ctx.prometheusUrl,
        SAFEDEPLOY_CATALOG: ctx.catalogDir,
        SAFEDEPLOY_DATA_DIR: ctx.dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
