// Faults a test schedules for the next calls of an operation: GitHub outages (5xx), primary rate limits
// (403/429 with x-ratelimit-remaining: 0) and secondary rate limits (403 with retry-after), plus a
// concurrent push that makes the next branch update stale.
import type { TwinReply } from './replies';

type Fault =
  | { kind: 'server-error'; status: number }
  | { kind: 'rate-limit'; status: 403 | 429; resetInSeconds: number }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number };

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

export class FaultPlan {
  private readonly queued = new Map<string, Fault[]>();
  private readonly pushes = new Map<string, Record<string, string>[]>();

  /** The next `times` calls of `operationId` answer `status` (default 502). */
  serverError(operationId: string, times = 1, status = 502): void {
    this.queue(operationId, times, { kind: 'server-error', status });
  }

  /** The next `times` calls hit the primary rate limit, which resets `resetInSeconds` from now. */
  rateLimit(
    operationId: string,
    times = 1,
    options: { status?: 403 | 429; resetInSeconds?: number } = {},
  ): void {
    this.queue(operationId, times, {
      kind: 'rate-limit',
      status: options.status ?? 403,
      resetInSeconds: options.resetInSeconds ?? 0,
    });
  }

  /** The next `times` calls hit a secondary rate limit asking to retry after `retryAfterSeconds`. */
  secondaryRateLimit(operationId: string, times = 1, retryAfterSeconds = 1): void {
    this.queue(operationId, times, { kind: 'secondary-rate-limit', retryAfterSeconds });
  }

  /** Just before the next update of `branch`, someone else pushes a commit with `files` to it. */
  concurrentPush(branch: string, files: Record<string, string>): void {
    this.pushes.set(branch, [...(this.pushes.get(branch) ?? []), files]);
  }

  takeConcurrentPush(branch: string): Record<string, string> | undefined {
    return this.pushes.get(branch)?.shift();
  }

  take(operationId: string): TwinReply | undefined {
    const fault = this.queued.get(operationId)?.shift();
    return fault === undefined ? undefined : reply(fault);
  }

  private queue(operationId: string, times: number, fault: Fault): void {
    this.queued.set(operationId, [
      ...(this.queued.get(operationId) ?? []),
      ...Array.from({ length: times }, () => fault),
    ]);
  }
}

function reply(fault: Fault): TwinReply {
  switch (fault.kind) {
    case 'server-error':
      return { status: fault.status, body: { message: 'Server Error' } };
    case 'rate-limit': {
      const reset = Math.floor(Date.now() / 1000) + fault.resetInSeconds;
      return {
        status: fault.status,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': 'core',
        },
        body: {
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: RATE_LIMIT_DOCS,
          status: String(fault.status),
        },
      };
    }
    case 'secondary-rate-limit':
      return {
        status: 403,
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            'If you reach out to GitHub Support for help, please include the request ID TWIN:0001.',
          documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
          status: '403',
        },
      };
  }
}
