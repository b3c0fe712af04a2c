// A read-only Prometheus HTTP API client: instant queries and range queries, with a timeout, retries on 5xx and
// connection errors, and validated responses. SafeDeploy never writes to Prometheus.
import { PromQLError, PrometheusUnavailableError } from './errors';
import { queryResponse, rangeSeries, toSample, type RangeSeries, type Sample } from './response';

export interface PrometheusClientOptions {
  url: string;
  /** Per request. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a timeout or a connection error. */
  retries?: number;
  /** Backoff before the first retry; doubles each time. */
  retryDelayMs?: number;
  /** Extra headers, e.g. Authorization for a protected Prometheus. Never logged. */
  headers?: Record<string, string>;
}

export class PrometheusClient {
  readonly url: string;
  /** HTTP requests sent, for benchmarks and tests. */
  requestCount = 0;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly headers: Record<string, string>;

  constructor(options: PrometheusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.headers = options.headers ?? {};
  }

  /** Instant query at `at`. Returns the vector's samples (a scalar becomes one unlabelled sample). */
  async query(expr: string, at: Date): Promise<Sample[]> {
    const body = new URLSearchParams({ query: expr, time: (at.getTime() / 1000).toFixed(3) });
    const parsed = queryResponse.safeParse(await this.post('/api/v1/query', body, expr));
    if (!parsed.success) {
      throw new PrometheusUnavailableError(
        this.url,
        `unexpected response shape: ${parsed.error.issues[0]?.message}`,
      );
    }
    const response = parsed.data;
    if (response.status === 'error') throw new PromQLError(expr, response.errorType, response.error);
    const data = response.data;
    switch (data.resultType) {
      case 'vector':
        return data.result.map((s) => toSample(s.metric, s.value[1]));
      case 'scalar':
        return [toSample({}, data.result[1])];
      default:
        throw new PromQLError(
          expr,
          'bad_data',
          `expected an instant vector or scalar, got a ${data.resultType}`,
        );
    }
  }

  /** Range query over [start, end] every `stepSeconds` (one matrix; each series' points in time order). */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<RangeSeries[]> {
    const body = new URLSearchParams({
      query: expr,
      start: (start.getTime() / 1000).toFixed(3),
      end: (end.getTime() / 1000).toFixed(3),
      step: String(stepSeconds),
    });
    const parsed = queryResponse.safeParse(await this.post('/api/v1/query_range', body, expr));
    if (!parsed.success) {
      throw new PrometheusUnavailableError(
        this.url,
        `unexpected response shape: ${parsed.error.issues[0]?.message}`,
      );
    }
    const response = parsed.data;
    if (response.status === 'error') throw new PromQLError(expr, response.errorType, response.error);
    if (response.data.resultType !== 'matrix')
      throw new PromQLError(expr, 'bad_data', `expected a range vector, got a ${response.data.resultType}`);
    const series = rangeSeries.safeParse(response.data.result);
    if (!series.success)
      throw new PrometheusUnavailableError(
        this.url,
        `unexpected matrix shape: ${series.error.issues[0]?.message}`,
      );
    return series.data.map((s) => ({
      labels: s.metric,
      // A value Prometheus would never send is no data here: it neither starts nor ends a burn.
      points: s.values.map(([t, v]) => ({ at: t, value: toSample({}, v).value })),
    }));
  }

  /** POST keeps long batched queries out of URL length limits. */
  private async post(path: string, body: URLSearchParams, expr: string): Promise<unknown> {
    let lastError = 'no attempt made';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await delay(this.retryDelayMs * 2 ** (attempt - 1));
      this.requestCount++;
      let response: Response;
      try {
        response = await fetch(this.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        lastError = describeFetchError(err);
        continue;
      }
      // 400 (bad_data) and 422 (execution) carry a PromQL error in the usual envelope.
      if (response.status < 500) return readJson(response, this.url, expr);
      lastError = `HTTP ${response.status}`;
      await response.body?.cancel();
    }
    throw new PrometheusUnavailableError(this.url, `${lastError} after ${this.retries + 1} attempts`);
  }
}

async function readJson(response: Response, url: string, expr: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (response.status >= 400) throw new PromQLError(expr, `http_${response.status}`, text.slice(0, 200));
    throw new PrometheusUnavailableError(url, `HTTP ${response.status} with a body that is not JSON`);
  }
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
