// `safedeploy api` as an operator runs it: the built binary, a token file, a real Prometheus and the
// shared Temporal dev server. It refuses to serve unauthenticated by accident, prints where it
// listens, answers, and stops cleanly on SIGTERM and SIGINT. Needs `npm run build` first.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { waitFor } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { BIN, runCli } from '../support/cli';
import { buildWorld, type ControlLoopWorld } from '../support/control-loop';
import { TOKEN } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-api-cli');

let world: ControlLoopWorld;
let client: Client;
let tokenFile: string;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }]);
  client = await namespaceClient(NAMESPACE);
  tokenFile = path.join(world.dir, 'api-token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
}, 120_000);

afterAll(async () => {
  await client?.connection.close();
  await world?.stop();
});

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts `safedeploy api` on a free port and waits for the URL it prints. */
async function serve(extra: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const args = [
    'api',
    '--listen',
    '127.0.0.1:0',
    '--catalog',
    world.catalogDir,
    '--prometheus',
    world.prometheus.url,
  ];
  const child = spawn(
    process.execPath,
    [BIN, ...args, '--address', testTemporalAddress(), '--namespace', NAMESPACE, ...extra],
    {
      env: { ...process.env, SAFEDEPLOY_API_TOKEN: '', ...env },
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await waitFor(
    () => /safedeploy api: listening on (http:\/\/\S+)/.exec(output)?.[1],
    30_000,
    `the URL in:\n${output}`,
  );
  return { child, url, output: () => output, exit };
}

const get = (url: string, token?: string) =>
  fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

it('refuses to start without a token, and says how to give one or opt out', async () => {
  const result = await runCli(['api', '--catalog', world.catalogDir], { env: { SAFEDEPLOY_API_TOKEN: '' } });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    'no API token: set SAFEDEPLOY_API_TOKEN or --token-file, or pass --insecure-no-auth',
  );
});

it('refuses a token file that cannot be read', async () => {
  const result = await runCli([
    'api',
    '--catalog',
    world.catalogDir,
    '--token-file',
    path.join(world.dir, 'nope'),
  ]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('cannot read --token-file');
});

it('serves the gate behind the token file, prints its URL, and stops gracefully on SIGTERM', async () => {
  const api = await serve(['--token-file', tokenFile, '--refresh-interval', '1s']);
  expect((await get(`${api.url}/healthz`)).status).toBe(200);
  expect((await get(`${api.url}/v1/gate?service=checkout`)).status).toBe(401);
  const verdict = await waitFor(
    async () => {
      const body = (await (await get(`${api.url}/v1/gate?service=checkout&revision=r1`, TOKEN)).json()) as {
        verdict: string;
      };
      return body.verdict === 'allow' ? body.verdict : undefined;
    },
    30_000,
    'allow',
  );
  expect(verdict).toBe('allow');
  expect(await (await get(`${api.url}/metrics`)).text()).toContain(
    'safedeploy_gate_verdicts_total{service="checkout",verdict="allow"}',
  );
  api.child.kill('SIGTERM');
  expect(await api.exit).toBe(0);
  expect(api.output()).toContain('safedeploy api: SIGTERM: stopping');
  expect(api.output()).toContain('safedeploy api: stopped');
  expect(api.output()).not.toContain(TOKEN);
}, 60_000);

it('serves /v1/* without a token only with --insecure-no-auth, warning about it, and stops on SIGINT', async () => {
  const api = await serve(['--insecure-no-auth']);
  expect(api.output()).toContain('WARNING: --insecure-no-auth: /v1/* is served without authentication');
  expect((await get(`${api.url}/v1/services`)).status).toBe(200);
  api.child.kill('SIGINT');
  expect(await api.exit).toBe(0);
}, 60_000);
