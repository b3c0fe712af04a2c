// The demo service's fault model: what share of requests fail (HTTP 500) and what share are slow
// (beyond the 300 ms latency threshold). Set at run time through POST /admin/faults.

export interface Faults {
  /** Share of requests answered with HTTP 500, 0..1. */
  errorRate: number;
  /** Share of requests slower than 300 ms, 0..1. */
  slowRate: number;
}

export const NO_FAULTS: Faults = { errorRate: 0, slowRate: 0 };

export interface RequestOutcome {
  code: 200 | 500;
  /** Simulated service time in seconds. */
  seconds: number;
}

const FAST_SECONDS = [0.012, 0.025, 0.04, 0.06, 0.085];
const SLOW_SECONDS = [0.45, 0.7, 1.1];

/**
 * Validates a partial update from the admin endpoint; fields left out keep their current value.
 * Throws an Error whose message names the field, for a 400 answer.
 */
export function updateFaults(current: Faults, body: unknown): Faults {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('expected a JSON object such as {"errorRate":0.5,"slowRate":0}');
  }
  const next = { ...current };
  for (const [field, value] of Object.entries(body as Record<string, unknown>)) {
    if (field !== 'errorRate' && field !== 'slowRate') {
      throw new Error(`unknown field "${field}": expected errorRate and/or slowRate`);
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new Error(`${field} must be a number from 0 to 1, got ${JSON.stringify(value)}`);
    }
    next[field] = value;
  }
  return next;
}

/**
 * Decides each request's outcome. Deterministic rather than random: an error rate of 0.5 fails exactly
 * every other request, so the SLIs Prometheus sees are what the operator asked for.
 */
export class FaultInjector {
  private faults: Faults = NO_FAULTS;
  private errorDebt = 0;
  private slowDebt = 0;
  private served = 0;

  current(): Faults {
    return this.faults;
  }

  set(faults: Faults): void {
    this.faults = faults;
    // A fresh start, so a new rate takes effect from the next request.
    this.errorDebt = 0;
    this.slowDebt = 0;
  }

  next(): RequestOutcome {
    this.served += 1;
    this.errorDebt += this.faults.errorRate;
    this.slowDebt += this.faults.slowRate;
    const failed = this.errorDebt >= 1 - 1e-9;
    const slow = this.slowDebt >= 1 - 1e-9;
    if (failed) this.errorDebt -= 1;
    if (slow) this.slowDebt -= 1;
    const pool = slow ? SLOW_SECONDS : FAST_SECONDS;
    const seconds = pool[this.served % pool.length] ?? 0.05;
    return { code: failed ? 500 : 200, seconds };
  }
}
