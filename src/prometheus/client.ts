// A read-only Prometheus HTTP API client: instant and range queries, with a timeout, retries on 5xx and
// connection errors, and validated responses. SafeDeploy never writes to Prometheus. Prometheus is
// outside SafeDeploy's control, so its answers are bounded (size, time) and its refusals (401/403)
// are one clear error rather than one per query.
import { redactUrl } from '../evidence/redact';
import { MIB, formatBytes } from '../files/bounded-read';
import {
  PromQLError,
  PrometheusConfigError,
  PrometheusUnauthorizedError,
  PrometheusUnavailableError,
} from './errors';
import {
  queryResponse,
  rangeSeries,
  toSample,
  vectorSamples,
  type QueryResponse,
  type RangeSeries,
  type Sample,
} from './response';
import { errorCode } from '../errors';

type QueryData = Extract<QueryResponse, { status: 'success' }>['data'];

/** Prometheus takes times as Unix seconds; milliseconds are kept. */
const seconds = (at: Date): string => (at.getTime() / 1000).toFixed(3);

export interface PrometheusClientOptions {
  /** http(s) base URL. User info in it becomes basic auth and is never shown. */
  url: string;
  /** Per request, including reading the response body. */
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a timeout or a connection error. */
  retries?: number;
  /** Backoff before the first retry; doubles each time. */
  retryDelayMs?: number;
  /** Extra headers, e.g. Authorization for a protected Prometheus. Never logged. */
  headers?: Record<string, string>;
  /** Largest response body read; a larger one is aborted. Default DEFAULT_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

/** 10,000 series of a few hundred bytes each is ~5 MiB; a batch answers one series per query. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * MIB;

export class PrometheusClient {
  /** The base URL without credentials: safe to show. */
  readonly url: string;
  /** HTTP requests sent, for benchmarks and tests. */
  requestCount = 0;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly headers: Record<string, string>;
  private readonly maxResponseBytes: number;

  constructor(options: PrometheusClientOptions) {
    const target = parsePrometheusUrl(options.url);
    this.endpoint = target.endpoint;
    this.url = target.endpoint;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.headers = { ...target.headers, ...options.headers };
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /** Instant query at `at`. Returns the vector's samples (a scalar becomes one unlabelled sample). */
  async query(expr: string, at: Date): Promise<Sample[]> {
    const data = await this.ask('/api/v1/query', { query: expr, time: seconds(at) }, expr);
    switch (data.resultType) {
      case 'vector': {
        const samples = vectorSamples(data.result);
        if (typeof samples === 'string')
          throw new PrometheusUnavailableError(this.url, `unexpected response shape: ${samples}`);
        return samples;
      }
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
    const data = await this.ask(
      '/api/v1/query_range',
      { query: expr, start: seconds(start), end: seconds(end), step: String(stepSeconds) },
      expr,
    );
    if (data.resultType !== 'matrix')
      throw new PromQLError(expr, 'bad_data', `expected a range vector, got a ${data.resultType}`);
    const series = rangeSeries.safeParse(data.result);
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

  /** One query request: the successful envelope's data, or Prometheus' own error as a PromQLError. */
  private async ask(path: string, params: Record<string, string>, expr: string): Promise<QueryData> {
    const parsed = queryResponse.safeParse(await this.post(path, new URLSearchParams(params), expr));
    if (!parsed.success) {
      throw new PrometheusUnavailableError(
        this.url,
        `unexpected response shape: ${parsed.error.issues[0]?.message}`,
      );
    }
    const response = parsed.data;
    if (response.status === 'error') throw new PromQLError(expr, response.errorType, response.error);
    return response.data;
  }

  /** POST keeps long batched queries out of URL length limits. */
  private async post(path: string, body: URLSearchParams, expr: string): Promise<unknown> {
    let lastError = 'no attempt made';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await delay(this.retryDelayMs * 2 ** (attempt - 1));
      this.requestCount++;
      const signal = AbortSignal.timeout(this.timeoutMs);
      let response: Response;
      try {
        response = await fetch(this.endpoint + path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.headers },
          body,
          signal,
        });
      } catch (err) {
        lastError = describeFetchError(err, this.timeoutMs);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new PrometheusUnauthorizedError(this.url, response.status);
      }
      // 400 (bad_data) and 422 (execution) carry a PromQL error in the usual envelope.
      if (response.status < 500) return this.readJson(response, expr);
      lastError = `HTTP ${response.status}`;
      await response.body?.cancel();
    }
    throw new PrometheusUnavailableError(this.url, `${lastError} after ${this.retries + 1} attempts`);
  }

  private async readJson(response: Response, expr: string): Promise<unknown> {
    const text = await this.readBody(response);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (response.status >= 400) throw new PromQLError(expr, `http_${response.status}`, text.slice(0, 200));
      throw new PrometheusUnavailableError(this.url, `HTTP ${response.status} with a body that is not JSON`);
    }
  }

  /** The body as text, streamed and abandoned as soon as it passes the size limit. */
  private async readBody(response: Response): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw this.tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        // Leaving the loop cancels the stream: nothing more is read.
        if (size > this.maxResponseBytes) throw this.tooLarge();
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof PrometheusUnavailableError) throw err;
      throw new PrometheusUnavailableError(
        this.url,
        `reading the response failed: ${describeFetchError(err, this.timeoutMs)}`,
      );
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private tooLarge(): PrometheusUnavailableError {
    return new PrometheusUnavailableError(
      this.url,
      `the response is larger than ${formatBytes(this.maxResponseBytes)}; aborted`,
    );
  }
}

/**
 * The base URL to send requests to and the headers its user info stands for. Only http(s); user
 * info (which fetch refuses in a URL anyway) becomes an Authorization header and leaves the URL.
 */
export function parsePrometheusUrl(text: string): { endpoint: string; headers: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PrometheusConfigError(
      `invalid Prometheus URL "${redactedInput(text)}": expected an http(s) URL such as http://localhost:9090`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PrometheusConfigError(
      `invalid Prometheus URL: scheme "${url.protocol.slice(0, -1)}" is not http or https (e.g. http://localhost:9090)`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PrometheusConfigError(
      `invalid Prometheus URL "${redactUrl(text)}": no query string or fragment; pass credentials with --prometheus-bearer-token-file or basic auth`,
    );
  }
  const headers: Record<string, string> = {};
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { endpoint: url.toString().replace(/\/+$/, ''), headers };
}

/** An unparseable URL may still hold a password: show it only with anything like userinfo removed. */
function redactedInput(text: string): string {
  return text.replace(/^([^/]*\/\/)?[^/@]*@/, '$1[REDACTED]@').slice(0, 200);
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `timed out after ${timeoutMs} ms`;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return errorCode(cause);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
