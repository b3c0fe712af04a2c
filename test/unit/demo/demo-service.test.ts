// The demo service and the history the local stack backfills: the series the catalog's SLI queries
// read exist from the start, faults take exactly the share asked for, and bad admin input is refused.
import { FaultInjector } from '../../../src/demo-service/faults';
import { startDemoService, type DemoService } from '../../../src/demo-service/service';
import { nextMinor } from '../../../src/demo/tour/env-moves';
import { historyOpenMetrics } from '../../../src/stack/history';

let demo: DemoService;

beforeAll(async () => {
  demo = await startDemoService({ host: '127.0.0.1', port: 0, service: 'checkout', rps: 20 });
});

afterAll(() => demo.close());

const post = (body: unknown) =>
  fetch(`${demo.url}/admin/faults`, { method: 'POST', body: JSON.stringify(body) });

describe('the demo service', () => {
  it('exposes the 200 and 500 series and the le="0.3" bucket before any request failed', async () => {
    const text = await (await fetch(`${demo.url}/metrics`)).text();
    expect(text).toContain('http_requests_total{service="checkout",code="500"} 0');
    expect(text).toMatch(/http_requests_total\{service="checkout",code="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.3",service="checkout"\} \d+/);
  });

  it('fails exactly the share of requests asked for, and slows exactly the share asked for', () => {
    const injector = new FaultInjector();
    injector.set({ errorRate: 0.5, slowRate: 0.2 });
    const outcomes = Array.from({ length: 100 }, () => injector.next());
    expect(outcomes.filter((o) => o.code === 500)).toHaveLength(50);
    expect(outcomes.filter((o) => o.seconds > 0.3)).toHaveLength(20);
  });

  it('applies faults set through POST /admin/faults to real requests, keeping fields left out', async () => {
    expect(await (await post({ errorRate: 1 })).json()).toEqual({ errorRate: 1, slowRate: 0 });
    expect((await fetch(`${demo.url}/checkout`)).status).toBe(500);
    expect(await (await post({ slowRate: 0 })).json()).toEqual({ errorRate: 1, slowRate: 0 });
    await post({ errorRate: 0 });
    expect((await fetch(`${demo.url}/checkout`)).status).toBe(200);
  });

  it.each([
    ['a rate above 1', { errorRate: 2 }, /errorRate must be a number from 0 to 1/],
    ['an unknown field', { errRate: 0.1 }, /unknown field "errRate"/],
    ['a non-object body', [0.5], /expected a JSON object/],
  ])('refuses %s with 400 and says which field', async (_case, body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });
});

describe('the backfilled history', () => {
  it('counts rps requests per second from 0, all fast and none failed, up to the end of the span', () => {
    const text = historyOpenMetrics('checkout', 10, { from: 1_000_000, to: 1_000_000 + 3 * 86_400 });
    const last = (series: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(series))
        .at(-1);
    const labels = 'service="checkout",job="history",instance="history-1000000"';
    expect(last(`http_requests_total{${labels},code="200"}`)).toBe(
      `http_requests_total{${labels},code="200"} 2592000 1259200`,
    );
    expect(last(`http_requests_total{${labels},code="500"}`)).toMatch(/ 0 1259200$/);
    expect(last(`http_request_duration_seconds_bucket{${labels},le="0.3"}`)).toMatch(/ 2592000 1259200$/);
  });
});

describe('the release the tour makes', () => {
  it.each([
    ['1.8.2', '1.9.0'],
    ['1.9.0', '1.10.0'],
    ['latest', 'latest-next'],
  ])('after %s comes %s', (from, to) => expect(nextMinor(from)).toBe(to));
});
