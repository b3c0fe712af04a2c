// Errors the API answers with a status and a one-line JSON `{error}`; anything else is a 500 whose
// detail stays in the log.

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** A dependency (Temporal, Prometheus) could not answer a read-only listing in time. */
export class DependencyUnavailableError extends ApiError {
  constructor(message: string, cause?: unknown) {
    super(503, message, { cause });
    this.name = 'DependencyUnavailableError';
  }
}
