/** Prometheus rejected a query (syntax or execution error); retrying the same query cannot help. */
export class PromQLError extends Error {
  constructor(
    readonly query: string,
    readonly errorType: string,
    readonly prometheusMessage: string,
  ) {
    super(`PromQL ${errorType} error: ${prometheusMessage} (query: ${query})`);
    this.name = 'PromQLError';
  }
}

/** Prometheus could not be reached or kept failing (5xx, timeout, refused connection). */
export class PrometheusUnavailableError extends Error {
  constructor(
    readonly url: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Prometheus at ${url} is unavailable: ${detail}`, options);
    this.name = 'PrometheusUnavailableError';
  }
}
