// The demo service's Prometheus metrics, named as the example catalogs' SLI queries expect:
// http_requests_total{service,code} and the http_request_duration_seconds{service} histogram.
import { Counter, Histogram, Registry } from 'prom-client';
import type { RequestOutcome } from './faults';

/** Upper bounds in seconds; 0.3 is the latency SLO's threshold (le="0.3"). */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.3, 0.5, 1, 2.5];

export interface DemoMetrics {
  registry: Registry;
  record(outcome: RequestOutcome): void;
}

export function createDemoMetrics(service: string): DemoMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests served, by status code.',
    labelNames: ['service', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time taken to serve a request.',
    labelNames: ['service'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  // Series exist from the first scrape, so an error ratio reads 0/N rather than "no data".
  for (const code of ['200', '500']) requests.inc({ service, code }, 0);
  duration.zero({ service });
  return {
    registry,
    record(outcome) {
      requests.inc({ service, code: String(outcome.code) });
      duration.observe({ service }, outcome.seconds);
    },
  };
}
