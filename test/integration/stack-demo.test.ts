// `safedeploy start` and `safedeploy demo` as a user runs them: the real binary brings up the whole local
// stack on free ports and a temporary data folder, the tour drives a bad release through to a
// postmortem, Ctrl-C leaves no server behind, and a restart on the same folder still has everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TOUR } from '../../src/demo/tour/tour';
import { verifyStream } from '../../src/evidence/audit';
import { AUDIT_STREAMS } from '../../src/evidence/streams';
import { findIncident } from '../../src/operator/incidents';
import { READY_LINE } from '../../src/stack/banner';
import { connectClient } from '../../src/temporal/connection';
import { PORT_FLAGS, type PortName } from '../../src/stack/ports';
import { pollUntil } from '../../src/process/poll';
import { freePort } from '../../src/process/ports';
import { BIN, runCli } from '../support/cli';
import { waitFor } from '../harness/wait';

const dataDir = mkdtempSync(path.join(tmpdir(), 'safedeploy-stack-'));
const MINUTE = 60_000;
const PORT_NAMES = Object.keys(PORT_FLAGS) as PortName[];

interface Stack {
  child: ChildProcess;
  output: () => string;
  ports: Record<PortName, number>;
}

let stack: Stack | undefined;
let tourOutput = '';

async function startStack(): Promise<Stack> {
  const ports = {} as Record<PortName, number>;
  for (const name of PORT_NAMES) ports[name] = await freePort();
  const flags = PORT_NAMES.flatMap((name) => [PORT_FLAGS[name], String(ports[name])]);
  const env = { ...process.env };
  for (const name of ['TEMPORAL_ADDRESS', 'PROMETHEUS_URL', 'SAFEDEPLOY_CATALOG', 'SAFEDEPLOY_DATA_DIR'])
    delete env[name];
  const child = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, ...flags], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  await pollUntil(() => text.includes(READY_LINE), {
    timeoutMs: 4 * MINUTE,
    what: `"${READY_LINE}"`,
    abortReason: () =>
      child.exitCode === null ? undefined : `safedeploy start exited with ${child.exitCode}`,
  }).catch((err: Error) => {
    throw new Error(`${err.message}\n${text}`);
  });
  return { child, output: () => text, ports };
}

/** Ctrl-C, as in a terminal; resolves with the exit code. */
async function interrupt(s: Stack): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGINT');
  return exited;
}

/** Processes whose command line mentions the data folder: the stack, its servers, worker and API. */
function processesUsingDataDir(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(dataDir)) found.push(`${pid} ${cmdline}`);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

async function withClient<T>(s: Stack, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient({ address: `127.0.0.1:${s.ports.temporal}`, namespace: 'default' });
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}

afterAll(async () => {
  if (stack && stack.child.exitCode === null) {
    const timer = setTimeout(() => stack?.child.kill('SIGKILL'), 30_000);
    await interrupt(stack);
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, MINUTE);

describe('npm start and safedeploy demo', () => {
  it(
    'brings up the stack, and Prometheus scrapes the demo service',
    async () => {
      stack = await startStack();
      const prometheus = `http://127.0.0.1:${stack.ports.prometheus}`;
      const query = encodeURIComponent('http_requests_total{job="demo",service="checkout"}');
      const series = await waitFor(
        async () => {
          const body = (await (await fetch(`${prometheus}/api/v1/query?query=${query}`)).json()) as {
            data: { result: { metric: Record<string, string>; value: [number, string] }[] };
          };
          return body.data.result.length === 2 ? body.data.result : undefined;
        },
        30_000,
        'both request series of the demo service in Prometheus',
      );
      expect(series.map((s) => s.metric.code).sort()).toEqual(['200', '500']);
      expect(Number(series.find((s) => s.metric.code === '200')!.value[1])).toBeGreaterThan(0);
      expect(stack.output()).toContain(`http://127.0.0.1:${stack.ports.webUi}/namespaces/default/workflows`);
      expect(processesUsingDataDir().some((p) => p.includes('temporal server start-dev'))).toBe(true);
    },
    5 * MINUTE,
  );

  it(
    'tours a bad release through incident, approved rollback, merge, resolution and postmortem',
    async () => {
      const s = stack!;
      const result = await runCli(
        [
          'demo',
          '--non-interactive',
          '--data-dir',
          dataDir,
          '--address',
          `127.0.0.1:${s.ports.temporal}`,
          '--prometheus',
          `http://127.0.0.1:${s.ports.prometheus}`,
          '--demo-service',
          `http://127.0.0.1:${s.ports.demo}`,
          '--web-ui',
          `http://127.0.0.1:${s.ports.webUi}`,
        ],
        { timeoutMs: 20 * MINUTE },
      );
      tourOutput = result.stdout;
      if (result.code !== 0)
        throw new Error(`demo exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
      TOUR.forEach((stage, i) => expect(result.stdout).toContain(`[${i + 1}/${TOUR.length}] ${stage.title}`));
      expect(result.stdout).toContain('Tour complete.');
      expect(result.stdout).toMatch(/approved; branch safedeploy\/checkout-\d{8}t\d{6}z\/rollback-rollout/);
      expect(result.stdout).toMatch(/OK: 7 streams/);
    },
    20 * MINUTE,
  );

  it(
    'stops every child on SIGINT, leaving no Temporal or Prometheus process behind',
    async () => {
      const s = stack!;
      const before = processesUsingDataDir();
      expect(before.some((p) => p.includes('prometheus'))).toBe(true);
      expect(await interrupt(s)).toBe(0);
      expect(processesUsingDataDir()).toEqual([]);
      expect(s.output()).toMatch(/stopped Temporal dev server[\s\S]*stopped$/m);
    },
    2 * MINUTE,
  );

  it(
    'keeps the incident, its proposal and an intact audit chain across a restart',
    async () => {
      const incidentId = /incident (checkout-\d{8}t\d{6}z)/.exec(tourOutput)?.[1];
      expect(incidentId).toBeDefined();
      stack = await startStack();
      const found = await withClient(stack, (client) =>
        waitFor(() => findIncident(client, incidentId!), 30_000, incidentId),
      );
      expect(found.view.state).toBe('postmortem-complete');
      expect(found.view.proposals.map((p) => [p.type, p.state])).toEqual([['rollback-rollout', 'merged']]);
      expect(found.view.postmortem?.url).toContain(incidentId);
      for (const stream of AUDIT_STREAMS)
        expect((await verifyStream(dataDir, stream)).broken).toBeUndefined();
      expect((await verifyStream(dataDir, 'approvals')).lines).toBeGreaterThanOrEqual(1);
      const verify = await runCli(['audit', 'verify', '--data-dir', dataDir]);
      expect(verify.code).toBe(0);
      expect(await interrupt(stack)).toBe(0);
      expect(processesUsingDataDir()).toEqual([]);
    },
    6 * MINUTE,
  );
});
