// GET /v1/gate on a real API server over a real Prometheus scraping an exporter the test controls and
// the shared Temporal dev server (its own namespace, no worker: no incident or freeze exists): every
// verdict, judged by the conditions of the AnalysisTemplate we ship, and every way it fails closed.
import type { Client } from '@temporalio/client';
import { freePort } from '../../src/process/ports';
import { waitFor } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { uniqueId } from '../harness/temporal';
import { buildWorld, type ControlLoopWorld } from '../support/control-loop';
import { evaluateCondition, shippedGateTemplate, slowBurn, startApi, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-api-gate');
const template = shippedGateTemplate();

let world: ControlLoopWorld;
let client: Client;
let api: RunningApi;

beforeAll(async () => {
  world = await buildWorld([{ name: 'steady' }, { name: 'simmer' }, { name: 'spike' }]);
  slowBurn(world.exporter, 'simmer');
  world.exporter.fastBurn('spike');
  client = await namespaceClient(NAMESPACE);
  api = await startApi(world, NAMESPACE);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await client?.connection.close();
  await world?.stop();
});

/** The gate as Argo Rollouts asks it: the template's URL with its arguments filled in. */
function gateRoute(service: string, revision: string): string {
  const url = new URL(
    template.url.replace('{{args.service}}', service).replace('{{args.revision}}', revision),
  );
  return url.pathname + url.search;
}

/** Polls until the gate gives `verdict` (Prometheus needs a scrape or two), then returns the body. */
async function gateUntil(service: string, verdict: string): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const { status, json } = await api.call(gateRoute(service, 'rev-42'));
      expect(status).toBe(200);
      return json.verdict === verdict ? json : undefined;
    },
    30_000,
    `${service} to be ${verdict}`,
  );
}

const outcome = (result: unknown) => ({
  success: evaluateCondition(template.successCondition, result),
  failure: evaluateCondition(template.failureCondition, result),
});

describe('the shipped AnalysisTemplate', () => {
  it('asks /v1/gate with the service and revision, a bearer token, and takes the whole body as the result', () => {
    expect(new URL(template.url).pathname).toBe('/v1/gate');
    expect([...new URL(template.url).searchParams.keys()]).toEqual(['service', 'revision']);
    expect(template.jsonPath).toBe('{$}');
    expect(template.authorization).toMatch(/^Bearer \{\{args\.[\w-]+\}\}$/);
    expect(template.successCondition).toBe('result.verdict == "allow"');
  });
});

describe('GET /v1/gate', () => {
  it('answers allow for a healthy service, which the template counts as a successful measurement', async () => {
    const body = await gateUntil('steady', 'allow');
    expect(body).toMatchObject({ service: 'steady', revision: 'rev-42', severity: 'normal', reasons: [] });
    expect(Date.parse(body.evaluatedAt as string)).not.toBeNaN();
    expect(body.slos).toEqual([expect.objectContaining({ name: 'availability', severity: 'normal' })]);
    expect(outcome(body)).toEqual({ success: true, failure: false });
  });

  it('answers hold for a slow burn, which matches neither condition, so the Rollout pauses for a human', async () => {
    const body = await gateUntil('simmer', 'hold');
    expect(body).toMatchObject({
      severity: 'slow-burn',
      reasons: [expect.objectContaining({ code: 'slow-burn', slo: 'availability' })],
    });
    expect(outcome(body)).toEqual({ success: false, failure: false });
  });

  it('answers deny for a fast burn, which the template counts as a failed measurement', async () => {
    const body = await gateUntil('spike', 'deny');
    expect(body).toMatchObject({
      severity: 'fast-burn',
      reasons: [expect.objectContaining({ code: 'fast-burn' })],
    });
    expect(outcome(body)).toEqual({ success: false, failure: true });
  });

  it('answers 404 with a JSON error for a service that is not in the catalog', async () => {
    const { status, json } = await api.call('/v1/gate?service=nowhere');
    expect(status).toBe(404);
    expect(json).toEqual({ error: 'unknown service "nowhere": not in the catalog' });
  });

  it.each([
    ['service is missing', '/v1/gate', 'missing query parameter "service"'],
    ['service is empty', '/v1/gate?service=', 'invalid query parameter "service"'],
    ['service is not a DNS label', '/v1/gate?service=Check_Out', 'invalid query parameter "service"'],
    [
      'service is longer than a DNS label',
      `/v1/gate?service=${'a'.repeat(64)}`,
      'invalid query parameter "service"',
    ],
    [
      'service is given twice',
      '/v1/gate?service=steady&service=spike',
      'query parameter "service" is given more than once',
    ],
    [
      'revision is over 200 characters',
      `/v1/gate?service=steady&revision=${'r'.repeat(201)}`,
      'invalid query parameter "revision"',
    ],
    [
      'revision holds a control character',
      '/v1/gate?service=steady&revision=a%0Ab',
      'invalid query parameter "revision"',
    ],
    ['a parameter is unknown', '/v1/gate?service=steady&servce=x', 'unknown query parameter "servce"'],
  ])('answers 400 naming the parameter when %s', async (_case, route, error) => {
    const { status, json } = await api.call(route);
    expect(status).toBe(400);
    expect(json.error).toEqual(expect.stringContaining(error));
  });

  it('accepts a revision of exactly 200 printable characters', async () => {
    const revision = 'v1.2.3 (canary)'.padEnd(200, '~');
    const { status, json } = await api.call(
      `/v1/gate?service=steady&revision=${encodeURIComponent(revision)}`,
    );
    expect(status).toBe(200);
    expect(json.revision).toBe(revision);
  });

  it('fails closed with temporal-unavailable, within its timeout, when Temporal cannot be reached', async () => {
    const closedPort = await freePort();
    const cut = await startApi(world, NAMESPACE, {
      temporal: { address: `127.0.0.1:${closedPort}` },
      timeoutMs: 1_000,
    });
    try {
      const started = Date.now();
      const { status, json } = await cut.call('/v1/gate?service=steady&revision=rev-42');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(status).toBe(200);
      expect(json).toMatchObject({
        service: 'steady',
        verdict: 'deny',
        reasons: [{ code: 'temporal-unavailable' }],
      });
      expect(outcome(json)).toEqual({ success: false, failure: true });
      // Listings have no safe default: they answer 503, naming Temporal.
      const listing = await cut.call('/v1/incidents');
      expect(listing.status).toBe(503);
      expect(listing.json.error).toBe(
        `Temporal at 127.0.0.1:${closedPort} is unavailable: Failed to list workflows`,
      );
      expect((await cut.call('/v1/proposals')).status).toBe(503);
    } finally {
      await cut.close();
    }
  });

  // Last: it stops this file's Prometheus.
  it('fails closed with prometheus-unavailable when Prometheus is stopped', async () => {
    await world.prometheus.stop();
    const { status, json } = await api.call('/v1/gate?service=steady');
    expect(status).toBe(200);
    expect(json).toMatchObject({
      verdict: 'deny',
      reasons: [expect.objectContaining({ code: 'prometheus-unavailable' })],
    });
    expect(outcome(json)).toEqual({ success: false, failure: true });
  });
});
