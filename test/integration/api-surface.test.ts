// The rest of the API on a real server: bearer-token authentication, the unauthenticated /healthz and
// /metrics, read-only listings, periodic refresh, and the token never appearing in a log or response.
import type { Client } from '@temporalio/client';
import { refreshOnce } from '../../src/api/refresh';
import { waitFor } from '../harness/prometheus';
import { namespaceClient } from '../harness/namespaces';
import { uniqueId } from '../harness/temporal';
import { buildWorld, type ControlLoopWorld } from '../support/control-loop';
import { startApi, TOKEN, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-api-surface');

let world: ControlLoopWorld;
let client: Client;
let api: RunningApi;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }]);
  world.exporter.fastBurn('checkout');
  client = await namespaceClient(NAMESPACE);
  api = await startApi(world, NAMESPACE);
  // Prometheus sees the fast burn once it has scraped the exporter.
  await waitFor(
    async () => (await api.call('/v1/gate?service=checkout')).json.severity === 'fast-burn',
    30_000,
    'the fast burn',
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
  await client?.connection.close();
  await world?.stop();
});

/** One metric sample's value from the exposition text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('authentication on /v1/*', () => {
  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    const { status, headers, json } = await api.call('/v1/services', '');
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="safedeploy"');
    expect(json).toEqual({
      error: 'authentication required: send a bearer token in the Authorization header',
    });
  });

  it.each([
    ['a wrong token', 'sdt-wrong-0000000000000000000000000000'],
    ['the token with one character more', `${TOKEN}x`],
    ['a prefix of the token', TOKEN.slice(0, -1)],
  ])('answers 401 invalid_token for %s', async (_case, token) => {
    const { status, headers, json } = await api.call('/v1/gate?service=checkout', token);
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer realm="safedeploy", error="invalid_token"');
    expect(json).toEqual({ error: 'invalid bearer token' });
  });

  it('refuses another scheme carrying the right token', async () => {
    const response = await fetch(`${api.url}/v1/services`, { headers: { authorization: `Basic ${TOKEN}` } });
    api.responses.push(await response.text());
    expect(response.status).toBe(401);
  });

  it('answers /healthz without a token', async () => {
    const { status, json } = await api.call('/healthz', '');
    expect(status).toBe(200);
    expect(json).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const { status, json } = await api.call('/v2/gate?service=checkout');
    expect(status).toBe(404);
    expect(json).toEqual({ error: 'no route GET /v2/gate' });
  });
});

describe('/metrics', () => {
  it('exposes burn rates, budget, verdicts and evaluation time after a gate call, without a token', async () => {
    expect((await api.call('/v1/gate?service=checkout')).json.verdict).toBe('deny');
    const { status, headers, text } = await api.call('/metrics', '');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(text, 'safedeploy_burn_rate{service="checkout",slo="availability",window="1h"}'),
    ).toBeCloseTo(20, 6);
    expect(
      sample(text, 'safedeploy_burn_rate{service="checkout",slo="availability",window="6h"}'),
    ).toBeCloseTo(2, 6);
    expect(
      sample(text, 'safedeploy_error_budget_remaining{service="checkout",slo="availability"}'),
    ).toBeCloseTo(0.8, 6);
    expect(
      sample(text, 'safedeploy_gate_verdicts_total{service="checkout",verdict="deny"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'safedeploy_evaluation_duration_seconds_count{scope="gate"}')).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('counts open incidents per catalog service and active freezes after a refresh', async () => {
    const warnings: string[] = [];
    await refreshOnce(api.deps, { warn: (message) => void warnings.push(message) });
    expect(warnings).toEqual([]);
    const { text } = await api.call('/metrics', '');
    expect(sample(text, 'safedeploy_open_incidents{service="checkout"}')).toBe(0);
    expect(sample(text, 'safedeploy_active_freezes')).toBe(0);
    expect(sample(text, 'safedeploy_dependency_up{dependency="temporal"}')).toBe(1);
    expect(
      sample(text, 'safedeploy_evaluation_duration_seconds_count{scope="fleet"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('is refreshed periodically without any request, and requires the token when protected', async () => {
    const periodic = await startApi(world, NAMESPACE, { refreshIntervalMs: 200, protectMetrics: true });
    try {
      expect((await periodic.call('/metrics', '')).status).toBe(401);
      const text = await waitFor(
        async () => {
          const body = (await periodic.call('/metrics')).text;
          return sample(body, 'safedeploy_evaluation_duration_seconds_count{scope="fleet"}')! >= 2
            ? body
            : undefined;
        },
        15_000,
        'two periodic refreshes',
      );
      expect(
        sample(text, 'safedeploy_burn_rate{service="checkout",slo="availability",window="5m"}'),
      ).toBeCloseTo(20, 6);
      expect(
        sample(text, 'safedeploy_gate_verdicts_total{service="checkout",verdict="deny"}'),
      ).toBeUndefined();
    } finally {
      await periodic.close();
    }
  });
});

describe('read-only listings', () => {
  it('lists the catalog with each service’s latest evaluation', async () => {
    const { status, json } = await api.call('/v1/services');
    expect(status).toBe(200);
    expect(json.services).toMatchObject([
      {
        name: 'checkout',
        approvers: ['alice', 'bob'],
        slos: [{ name: 'availability', objective: 99.9, window: '30d' }],
        latest: { severity: 'fast-burn', verdict: 'deny', reasons: [{ code: 'fast-burn' }] },
      },
    ]);
  });

  it('lists no incidents and no proposals when the control loop has opened none', async () => {
    expect((await api.call('/v1/incidents?service=checkout&all=true')).json).toEqual({ incidents: [] });
    expect((await api.call('/v1/proposals')).json).toEqual({ proposals: [] });
  });

  it.each([
    ['/v1/incidents?all=yes', 'invalid query parameter "all": must be true or false'],
    ['/v1/incidents?limit=0', 'invalid query parameter "limit": must be a whole number from 1 to 1000'],
    ['/v1/proposals?service=-x', 'invalid query parameter "service"'],
    ['/v1/services?verbose=1', 'unknown query parameter "verbose"'],
  ])('answers 400 for %s', async (route, error) => {
    const { status, json } = await api.call(route);
    expect(status).toBe(400);
    expect(json.error).toEqual(expect.stringContaining(error));
  });
});

describe('when a dependency cannot be reached', () => {
  // Stops this file's Prometheus: only the secrets check runs after it.
  it('lists services with their last evaluation and the error when Prometheus is down', async () => {
    await world.prometheus.stop();
    const { status, json } = await api.call('/v1/services');
    expect(status).toBe(200);
    expect(json.evaluationError).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ is unavailable/);
    expect(json.services).toMatchObject([{ name: 'checkout', latest: { severity: 'fast-burn' } }]);
    const metrics = (await api.call('/metrics', '')).text;
    expect(metrics).not.toContain('safedeploy_burn_rate{');
  });
});

describe('secrets', () => {
  // Last: it searches everything this file's server logged and answered.
  it('never writes the token or the Authorization header value to a log or a response', () => {
    const everything = [...api.logs, ...api.responses].join('\n');
    expect(api.logs.length).toBeGreaterThan(20);
    expect(api.responses.length).toBeGreaterThan(20);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(0, 16));
    expect(everything).not.toMatch(/Bearer sdt-/);
    expect(api.logs.join('\n')).toContain('"url":"/v1/gate?service=checkout"');
  });
});
