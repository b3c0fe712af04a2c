// Alertmanager intake end to end: a real Prometheus evaluates a burn-rate alert rule, a real HA pair
// of Alertmanagers (Debian's prometheus-alertmanager, not gossiping, so both deliver) calls
// POST /v1/alertmanager, and the page opens one SafeDeploy incident although SafeDeploy's own SLO
// evaluation sees nothing; SafeDeploy's evaluation then resolves it. Duplicates, out-of-order and
// malformed deliveries change nothing.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusServer } from '../../src/servers/prometheus-server';
import { fleetQuery, incidentQuery, workflowIds } from '../../workflows/messages';
import { startTestAlertmanager, type TestAlertmanager } from '../harness/alertmanager';
import { namespaceClient } from '../harness/namespaces';
import { startTestExporter, startTestPrometheus, waitFor, type TestExporter } from '../harness/prometheus';
import { uniqueId } from '../harness/temporal';
import { buildWorld, startWorker, stopLoop, type ControlLoopWorld } from '../support/control-loop';
import { saveHistories } from '../support/record-histories';
import { startApi, TOKEN, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-alerts');

/** Sloth-style page: the 1m error ratio above 14.4x a 99.9 % objective's budget. */
const RULES = `groups:
  - name: checkout-slo
    rules:
      - alert: CheckoutErrorBudgetBurn
        expr: |
          (sum by (service) (rate(app_errors_total{service="checkout"}[1m]))
            / sum by (service) (rate(app_requests_total{service="checkout"}[1m]))) > (14.4 * 0.001)
        labels: { severity: page }
        annotations: { summary: checkout burns its error budget 14.4x too fast }
`;

interface Delivery {
  body: Record<string, unknown>;
  status: number;
  answer: { results?: { outcome: string }[] };
}

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let api: RunningApi;
let app: { requests: number; errors: number; failing: boolean };
let exporter: TestExporter;
let prometheus: PrometheusServer;
let tee: { server: Server; url: string; deliveries: Delivery[] };
const pair: TestAlertmanager[] = [];

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }]);
  client = await namespaceClient(NAMESPACE);
  worker = await startWorker(world, NAMESPACE);
  running = worker.run();
  api = await startApi(world, NAMESPACE);
  tee = await startTee(`${api.url}/v1/alertmanager`);
  for (let i = 0; i < 2; i++) pair.push(await startTestAlertmanager({ url: tee.url, token: TOKEN }));
  app = { requests: 0, errors: 0, failing: false };
  exporter = await startTestExporter(() => {
    app.requests += 100;
    if (app.failing) app.errors += 5;
    return `app_requests_total{service="checkout"} ${app.requests}\napp_errors_total{service="checkout"} ${app.errors}\n`;
  });
  prometheus = await startTestPrometheus({
    scrapeTargets: [{ job: 'app', targets: [exporter.target] }],
    rules: RULES,
    alertmanagers: pair.map((a) => a.target),
  });
  await waitFor(
    async () => (await fleet()).services.checkout?.lastHealthyAt,
    30_000,
    'checkout seen healthy',
  );
}, 180_000);

afterAll(async () => {
  if (process.env.SAFEDEPLOY_RECORD_HISTORIES === '1') await saveHistories(client, NAMESPACE, 'alerts');
  await prometheus?.stop();
  for (const a of pair) await a.stop();
  await exporter?.close();
  tee?.server.closeAllConnections();
  tee?.server.close();
  await api?.close();
  await stopLoop({ client, worker, running, world });
});

const fleet = () => client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery);

async function incidentRuns(): Promise<number> {
  let n = 0;
  for await (const _ of client.workflow.list({ query: `WorkflowId = '${workflowIds.incident('checkout')}'` }))
    n++;
  return n;
}

async function post(body: unknown, options: { url?: string; token?: string | null; raw?: string } = {}) {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${options.url ?? api.url}/v1/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('a page from a real Alertmanager HA pair', () => {
  let firing: Record<string, unknown>;

  it('opens one incident before SafeDeploy’s own evaluation sees any burn', async () => {
    app.failing = true;
    const v = await waitFor(
      () =>
        client.workflow
          .getHandle(workflowIds.incident('checkout'))
          .query(incidentQuery)
          .catch(() => undefined),
      90_000,
      'the incident opened by the page',
    );
    expect(v.transitions[0]!.reason).toContain('Alertmanager: CheckoutErrorBudgetBurn firing since');
    // No severity check here: the fleet evaluation re-observes the service at once and, seeing no burn of
    // its own, may already have set it back to normal (that is how resolution follows SafeDeploy's SLOs).
    // Both Alertmanagers delivered the page: one opened the incident, the other was a duplicate.
    const pages = await waitFor(
      () => {
        const d = tee.deliveries.filter((x) => x.body.status === 'firing');
        return d.length >= 2 ? d : undefined;
      },
      30_000,
      'both Alertmanagers to deliver',
    );
    const outcomes = pages.flatMap((d) => d.answer.results?.map((r) => r.outcome) ?? []);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'opened').every((o) => o === 'duplicate' || o === 'joined')).toBe(
      true,
    );
    expect(pages.every((d) => d.status === 200)).toBe(true);
    expect(await incidentRuns()).toBe(1);
    expect((await fleet()).services.checkout?.severity).toBe('normal');
    firing = pages[0]!.body;
  }, 150_000);

  it('is resolved by SafeDeploy’s SLO evaluation while the alert still fires', async () => {
    const id = (await client.workflow.getHandle(workflowIds.incident('checkout')).query(incidentQuery))
      .incidentId;
    const resolved = await waitFor(
      () =>
        client.workflow
          .getHandle(workflowIds.postmortem(id))
          .query(incidentQuery)
          .catch(() => undefined),
      60_000,
      'the resolution',
    );
    expect(resolved.state).toBe('resolved');
    expect(resolved.transitions.at(-1)!.reason).toMatch(/every SLO stayed normal/);
    expect(app.failing).toBe(true);
  }, 90_000);

  it('changes nothing on a duplicate, a delivery to another API replica, a resolved or an older alert', async () => {
    expect((await post(firing)).json).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    // A second API replica has no memory of it: the closed incident covered this episode.
    const replica = await startApi(world, NAMESPACE);
    try {
      expect((await post(firing, { url: replica.url })).json).toMatchObject({
        results: [{ outcome: 'covered' }],
      });
    } finally {
      await replica.close();
    }
    const alerts = firing.alerts as Record<string, unknown>[];
    const older = {
      ...firing,
      alerts: [{ ...alerts[0], startsAt: new Date(Date.now() - 3_600_000).toISOString() }],
    };
    expect((await post(older)).json).toMatchObject({ results: [{ outcome: 'covered' }] });
    const resolved = { ...firing, status: 'resolved', alerts: [{ ...alerts[0], status: 'resolved' }] };
    expect((await post(resolved)).json).toMatchObject({ results: [{ outcome: 'ignored' }] });
    expect(await incidentRuns()).toBe(1);
  }, 60_000);

  it('refuses malformed, unknown-service, oversized and unauthenticated payloads with a reason', async () => {
    const alerts = firing.alerts as Record<string, unknown>[];
    const fresh = { ...alerts[0], startsAt: new Date().toISOString(), fingerprint: 'f00d' };
    expect(await post({ version: '3', alerts: [] })).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining('version') as unknown },
    });
    expect(await post(null, { raw: '{"version": "4", ' })).toMatchObject({ status: 400 });
    const unknown = {
      ...firing,
      alerts: [fresh, { ...fresh, labels: { alertname: 'X', service: 'nope', severity: 'page' } }],
    };
    expect(await post(unknown)).toMatchObject({
      status: 422,
      json: { error: expect.stringContaining('no service "nope" in the catalog') as unknown },
    });
    const big = { ...firing, alerts: [{ ...fresh, annotations: { summary: 'x'.repeat(300 * 1024) } }] };
    expect((await post(big)).status).toBe(413);
    expect((await post({ ...firing, alerts: [fresh] }, { token: null })).status).toBe(401);
    // The fresh checkout page inside the refused payloads opened nothing.
    expect(await incidentRuns()).toBe(1);
  }, 60_000);
});

/** Records what Alertmanager sends and what the API answers, forwarding each request unchanged. */
async function startTee(target: string): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      void fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: String(request.headers.authorization) },
        body: raw,
      }).then(async (answer) => {
        const text = await answer.text();
        deliveries.push({
          body: JSON.parse(raw) as Record<string, unknown>,
          status: answer.status,
          answer: JSON.parse(text) as Delivery['answer'],
        });
        response.writeHead(answer.status).end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/alertmanager`,
    deliveries,
  };
}
