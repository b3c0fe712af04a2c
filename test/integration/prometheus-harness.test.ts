// The Prometheus test harness is real: backfilled history is queryable at a fixed past time (also a month
// back, so retention must not delete it), and live scrapes of a test-controlled exporter show up.
import type { PrometheusServer } from '../../src/servers/prometheus-server';
import { startTestExporter, startTestPrometheus, waitFor, withPrometheus } from '../harness/prometheus';

/** 2026-01-01T00:00:00Z: the end of the backfilled history. */
const T = 1_767_225_600;
const HOUR = 3600;
const DAY = 24 * HOUR;
/** The counter grows 2/s until ten minutes before T, then 5/s. */
const SPEEDUP_AT = T - 600;

function counterAt(t: number): number {
  const start = T - 31 * DAY;
  return 1000 + 2 * (Math.min(t, SPEEDUP_AT) - start) + 5 * Math.max(0, t - SPEEDUP_AT);
}

/** 31 days at one sample an hour, then the last hour every 15 s, like a real scrape history. */
function backfillHistory(): string {
  const times: number[] = [];
  for (let t = T - 31 * DAY; t < T - HOUR; t += HOUR) times.push(t);
  for (let t = T - HOUR; t <= T; t += 15) times.push(t);
  return [
    '# HELP harness_requests Requests served by the harness fixture.',
    '# TYPE harness_requests counter',
    ...times.map((t) => `harness_requests_total{service="fixture"} ${counterAt(t)} ${t}`),
    '# EOF',
  ].join('\n');
}

async function instantValue(
  prometheus: PrometheusServer,
  expr: string,
  at?: number,
): Promise<number | undefined> {
  const params = new URLSearchParams({ query: expr, ...(at === undefined ? {} : { time: String(at) }) });
  const response = await fetch(`${prometheus.url}/api/v1/query?${params.toString()}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error ?? response.status}`);
  const first = body.data?.result[0];
  return first === undefined ? undefined : Number(first.value[1]);
}

describe('a backfilled Prometheus', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    prometheus = await startTestPrometheus({ backfill: backfillHistory() });
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('answers rate() at the end of the history from the recent samples', async () => {
    await expect(instantValue(prometheus, 'rate(harness_requests_total[5m])', T)).resolves.toBeCloseTo(5, 6);
    await expect(
      instantValue(prometheus, 'rate(harness_requests_total[5m])', T - 20 * 60),
    ).resolves.toBeCloseTo(2, 6);
  });

  it('keeps history a month old (retention does not delete backfilled blocks)', async () => {
    await expect(
      instantValue(prometheus, 'rate(harness_requests_total[3h])', T - 30 * DAY),
    ).resolves.toBeCloseTo(2, 6);
  });

  it('has nothing before the history starts', async () => {
    await expect(instantValue(prometheus, 'harness_requests_total', T - 32 * DAY)).resolves.toBeUndefined();
  });
});

describe('a live-scraping Prometheus', () => {
  it('sees the value a test exporter serves, and its change', async () => {
    let value = 1;
    const exporter = await startTestExporter(
      () => `# TYPE harness_queue_depth gauge\nharness_queue_depth{service="fixture"} ${value}\n`,
    );
    try {
      await withPrometheus(
        { scrapeTargets: [{ job: 'fixture', targets: [exporter.target] }] },
        async (prometheus) => {
          await waitFor(
            async () => (await instantValue(prometheus, 'harness_queue_depth')) === 1,
            20_000,
            'first scrape',
          );
          value = 42;
          await waitFor(
            async () => (await instantValue(prometheus, 'harness_queue_depth')) === 42,
            20_000,
            'new value',
          );
          await expect(instantValue(prometheus, 'up{job="fixture"}')).resolves.toBe(1);
        },
      );
    } finally {
      await exporter.close();
    }
  }, 90_000);
});
