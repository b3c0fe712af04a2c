// The HTTP gate answers from one shared, bounded-staleness evaluation: N concurrent calls cost
// Prometheus one evaluation (counted by Prometheus itself, prometheus_http_requests_total), answers
// within the bound reuse it and say how old it is, and past the bound with a dependency down the gate
// fails closed. Real API server, real Prometheus scraping an exporter, the shared Temporal dev server.
import type { Client } from '@temporalio/client';
import { waitFor } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { uniqueId } from '../harness/temporal';
import { buildWorld, type ControlLoopWorld } from '../support/control-loop';
import { startApi, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-api-gate-shared');
const MAX_AGE_MS = 1_500;
const CONCURRENT = 40;

let world: ControlLoopWorld;
let client: Client;
let api: RunningApi;

beforeAll(async () => {
  world = await buildWorld([{ name: 'steady' }, { name: 'spike' }]);
  world.exporter.fastBurn('spike');
  client = await namespaceClient(NAMESPACE);
  api = await startApi(world, NAMESPACE, { gateMaxAgeMs: MAX_AGE_MS });
  // Prometheus has scraped the exporter once the raw evaluation sees the burn (a deny alone could be
  // the no-data answer from before the first scrape) and the steady service as healthy.
  await waitFor(
    async () => {
      const spike = (await api.call('/v1/gate?service=spike')).json;
      const steady = (await api.call('/v1/gate?service=steady')).json;
      return spike.severity === 'fast-burn' && steady.verdict === 'allow' ? true : undefined;
    },
    30_000,
    'the spike and the steady service to be measured',
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
  await client?.connection.close();
  await world?.stop();
});

/** Instant queries Prometheus has served, by its own count (this read is not one of them). */
async function queriesServed(): Promise<number> {
  const text = await (await fetch(`${world.prometheus.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('prometheus_http_requests_total{') && l.includes('handler="/api/v1/query"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Waits until the shared evaluation is past its bound, so the next call must evaluate again. */
async function untilStale(): Promise<void> {
  const at = Date.parse(api.deps.fleet.latest!.evaluatedAt);
  await new Promise((r) => setTimeout(r, Math.max(0, at + MAX_AGE_MS + 50 - Date.now())));
}

type Answer = Record<string, unknown> & { evaluatedAt: string; dataAgeSeconds: number };

async function burst(service: string, n: number): Promise<Answer[]> {
  const calls = Array.from({ length: n }, () => api.call(`/v1/gate?service=${service}`));
  return (await Promise.all(calls)).map((r) => {
    expect(r.status).toBe(200);
    return r.json as Answer;
  });
}

it('answers concurrent calls from one evaluation: Prometheus serves the requests of one evaluation, not one per call', async () => {
  await untilStale();
  const before = await queriesServed();
  const clientBefore = api.deps.prometheus.requestCount;
  const answers = await burst('spike', CONCURRENT);
  const served = (await queriesServed()) - before;
  expect(new Set(answers.map((a) => a.evaluatedAt)).size).toBe(1);
  expect(answers.every((a) => a.verdict === 'deny')).toBe(true);
  // The requests of one evaluation (8 recorded-series reads, then 8 raw queries for the SLOs without
  // recorded series), never more than the API's client sent (a retry on a loaded machine adds one).
  expect(served).toBeLessThanOrEqual(api.deps.prometheus.requestCount - clientBefore);
  expect(served).toBeGreaterThanOrEqual(16);
  expect(served).toBeLessThanOrEqual(18);
  expect(served / CONCURRENT).toBeLessThan(0.5);
});

it('reuses the evaluation within its bound, for every service, and says how old its data is', async () => {
  await untilStale();
  const first = (await api.call('/v1/gate?service=steady')).json as Answer;
  const before = await queriesServed();
  const answers = [...(await burst('steady', 10)), ...(await burst('spike', 10))];
  expect(await queriesServed()).toBe(before);
  for (const a of answers) {
    expect(a.evaluatedAt).toBe(first.evaluatedAt);
    expect(a.dataAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(a.dataAgeSeconds).toBeLessThanOrEqual(MAX_AGE_MS / 1000);
  }
  expect(answers.find((a) => a.service === 'steady')?.verdict).toBe('allow');
});

it('never answers from data older than its bound: past it, the next call evaluates again', async () => {
  const first = (await api.call('/v1/gate?service=steady')).json as Answer;
  await untilStale();
  const next = (await api.call('/v1/gate?service=steady')).json as Answer;
  expect(Date.parse(next.evaluatedAt)).toBeGreaterThan(Date.parse(first.evaluatedAt));
  expect(next.dataAgeSeconds).toBeLessThanOrEqual(MAX_AGE_MS / 1000);
});

it('fails closed, every concurrent call, when Temporal cannot be read', async () => {
  const cut = await startApi(world, NAMESPACE, {
    gateMaxAgeMs: MAX_AGE_MS,
    temporal: { address: '127.0.0.1:1' },
    timeoutMs: 1_000,
  });
  try {
    const answers = (await Promise.all([1, 2, 3].map(() => cut.call('/v1/gate?service=steady')))).map(
      (r) => r.json,
    );
    for (const a of answers) {
      expect(a.verdict).toBe('deny');
      expect(a.reasons).toEqual([expect.objectContaining({ code: 'temporal-unavailable' })]);
    }
  } finally {
    await cut.close();
  }
});

it('fails closed once its data is past the bound and Prometheus is down, and not before', async () => {
  await untilStale();
  expect((await api.call('/v1/gate?service=steady')).json.verdict).toBe('allow');
  await world.prometheus.stop();
  // Within the bound the answer still comes from the evaluation made while Prometheus was up.
  const within = (await api.call('/v1/gate?service=steady')).json as Answer;
  if (within.dataAgeSeconds * 1000 < MAX_AGE_MS - 200) expect(within.verdict).toBe('allow');
  await untilStale();
  const answers = (await burst('steady', 5)).concat(await burst('spike', 5));
  for (const a of answers) {
    expect(a.verdict).toBe('deny');
    expect(a.reasons).toEqual([expect.objectContaining({ code: 'prometheus-unavailable' })]);
  }
});
