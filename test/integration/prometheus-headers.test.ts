// `--prometheus-header` / PROMETHEUS_HEADERS reach Prometheus through a gateway that, like Mimir's or Cortex's,
// refuses requests without a tenant; and a header's value never shows in what SafeDeploy prints.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startPrometheus, type PrometheusServer } from '../../src/servers/prometheus-server';
import { END, SCENARIOS, serviceYaml } from '../fixtures/fleet-scenarios';
import { jsonOf, runCli } from '../support/cli';
import { DEFAULT_HISTORY, renderOpenMetrics } from '../support/history';

const TENANT = 'tenant-7f3a9c';
let workDir: string;
let prometheus: PrometheusServer;
let gateway: Server;
let gatewayUrl: string;
let catalog: string;
const seen: (string | undefined)[] = [];

/** Forwards to Prometheus only with X-Scope-OrgID set to the tenant; 401 otherwise. */
function startGateway(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const tenant = req.headers['x-scope-orgid'];
    seen.push(typeof tenant === 'string' ? tenant : undefined);
    if (tenant !== TENANT) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('no org id');
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-headers-'));
  const healthy = SCENARIOS[0]!;
  prometheus = await startPrometheus({
    dataDir: path.join(workDir, 'prometheus'),
    backfill: renderOpenMetrics([healthy.profile], { ...DEFAULT_HISTORY, end: END }),
  });
  gateway = await startGateway(new URL(prometheus.url));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  catalog = path.join(workDir, 'catalog');
  await import('node:fs/promises').then((fs) => fs.mkdir(catalog));
  await writeFile(path.join(catalog, 'healthy.yaml'), serviceYaml(healthy));
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => gateway?.close(resolve));
  await prometheus?.stop();
  await rm(workDir, { recursive: true, force: true });
});

const evaluate = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(
    ['evaluate', '--catalog', catalog, '--prometheus', gatewayUrl, '--at', String(END), '--json', ...extra],
    {
      env: { PROMETHEUS_HEADERS: '', ...env },
    },
  );

it('sends --prometheus-header with every request', async () => {
  seen.length = 0;
  const run = await evaluate(['--prometheus-header', `X-Scope-OrgID: ${TENANT}`]);
  expect(run.code).toBe(0);
  expect(jsonOf<{ services: { severity: string }[] }>(run).services[0]!.severity).toBe('normal');
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((t) => t === TENANT)).toBe(true);
});

it('reads PROMETHEUS_HEADERS', async () => {
  const run = await evaluate([], { PROMETHEUS_HEADERS: `X-Scope-OrgID: ${TENANT}` });
  expect(run.code).toBe(0);
});

// A gateway's 401 is Prometheus refusing SafeDeploy: one unauthorized error, exit 3 (src/prometheus/errors.ts).
it("with the wrong tenant the gateway's 401 is exit 3, and the tenant value is never printed", async () => {
  const run = await evaluate(['--prometheus-header', 'X-Scope-OrgID: wrong-secret-tenant']);
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/unauthorized/);
  expect(run.stdout + run.stderr).not.toContain('wrong-secret-tenant');
});

it('refuses a malformed header with exit 2, naming it but not its value', async () => {
  const run = await evaluate(['--prometheus-header', 'X-Scope-OrgID secret-value']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--prometheus-header: expected "Name: value"/);
  expect(run.stderr).not.toContain('secret-value');
});
