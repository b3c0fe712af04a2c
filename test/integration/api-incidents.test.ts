// The API over a running control loop (a real worker on its own namespace): the gate adds the
// incident and freeze state from Temporal, the listings show incidents and open proposals, and
// /metrics counts them after a refresh.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { refreshOnce } from '../../src/api/refresh';
import { fleetQuery, workflowIds } from '../../workflows/messages';
import { waitFor } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { uniqueId } from '../harness/temporal';
import { buildWorld, stopLoop, startWorker, type ControlLoopWorld } from '../support/control-loop';
import { startApi, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-api-incidents');

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let api: RunningApi;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }, { name: 'payments', freezeDuration: '1h' }]);
  client = await namespaceClient(NAMESPACE);
  worker = await startWorker(world, NAMESPACE);
  running = worker.run();
  const fleet = () => client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery);
  // Healthy first, so the incident knows when checkout was last healthy and can propose a rollback.
  await waitFor(async () => (await fleet()).services.checkout?.lastHealthyAt, 30_000, 'a healthy evaluation');
  world.exporter.fastBurn('checkout');
  world.exporter.exhausted('payments');
  api = await startApi(world, NAMESPACE);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stopLoop({ client, worker, running, world });
});

const codesOf = (body: Record<string, unknown>) => (body.reasons as { code: string }[]).map((r) => r.code);

async function gateUntil(service: string, code: string): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const { json } = await api.call(`/v1/gate?service=${service}`);
      return codesOf(json).includes(code) ? json : undefined;
    },
    60_000,
    `${service}'s gate to name ${code}`,
  );
}

it('denies promotion with incident-active once the control loop has opened an incident', async () => {
  const body = await gateUntil('checkout', 'incident-active');
  expect(body.verdict).toBe('deny');
  expect(codesOf(body)).toEqual(expect.arrayContaining(['fast-burn', 'incident-active']));
}, 90_000);

it('denies promotion with freeze-active while an exhausted service is frozen', async () => {
  const body = await gateUntil('payments', 'freeze-active');
  expect(body.verdict).toBe('deny');
  expect(codesOf(body)).toEqual(expect.arrayContaining(['exhausted', 'freeze-active']));
}, 90_000);

it('lists open incidents, and only the asked service’s with ?service=', async () => {
  const all = await waitFor(
    async () => {
      const { json } = await api.call('/v1/incidents');
      const incidents = json.incidents as { service: string }[];
      return incidents.length === 2 ? incidents : undefined;
    },
    30_000,
    'both incidents listed',
  );
  expect(all.map((i) => i.service).sort()).toEqual(['checkout', 'payments']);
  const { json } = await api.call('/v1/incidents?service=checkout&all=true&limit=10');
  expect(json.incidents).toEqual([
    expect.objectContaining({
      workflowId: workflowIds.incident('checkout'),
      service: 'checkout',
      severity: 'fast-burn',
      state: 'detected',
    }),
  ]);
});

it('lists the pending rollback proposal across incidents', async () => {
  const proposals = await waitFor(
    async () => {
      const list = (await api.call('/v1/proposals?service=checkout')).json.proposals as { type: string }[];
      return list.length > 0 ? list : undefined;
    },
    60_000,
    'the rollback proposal',
  );
  expect(proposals).toEqual([
    expect.objectContaining({ type: 'rollback-rollout', service: 'checkout', state: 'pending' }),
  ]);
});

it('counts open incidents per service and active freezes on /metrics after a refresh', async () => {
  const warnings: string[] = [];
  await refreshOnce(api.deps, { warn: (message) => void warnings.push(message) });
  expect(warnings).toEqual([]);
  const { text } = await api.call('/metrics', '');
  expect(text).toContain('safedeploy_open_incidents{service="checkout"} 1\n');
  expect(text).toContain('safedeploy_open_incidents{service="payments"} 1\n');
  expect(text).toContain('safedeploy_active_freezes 1\n');
});
