import { redact, redactUrl } from '../evidence/redact';

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

/**
 * Prometheus could not be reached or kept failing (5xx, timeout, refused connection, an oversized or
 * malformed response). The URL in the message never carries credentials.
 */
export class PrometheusUnavailableError extends Error {
  readonly url: string;

  constructor(url: string, detail: string, options?: { cause?: unknown; problem?: string }) {
    super(
      `Prometheus at ${redactUrl(url)} ${options?.problem ?? 'is unavailable'}: ${redact(detail)}`,
      options,
    );
    this.name = 'PrometheusUnavailableError';
    this.url = redactUrl(url);
  }
}

/** Prometheus answered 401 or 403: the credentials are missing or wrong; no query can succeed. */
export class PrometheusUnauthorizedError extends PrometheusUnavailableError {
  constructor(url: string, status: number) {
    super(
      url,
      `HTTP ${status}; check --prometheus-bearer-token-file, or --prometheus-basic-auth-user and --prometheus-basic-auth-password-file`,
      {
        problem: status === 401 ? 'refused the request as unauthorized' : 'refused the request as forbidden',
      },
    );
    this.name = 'PrometheusUnauthorizedError';
  }
}

/** The Prometheus URL or credentials given are unusable; a usage error, nothing was sent. */
export class PrometheusConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusConfigError';
  }
}
