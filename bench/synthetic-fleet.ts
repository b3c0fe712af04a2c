// The synthetic fleet the benchmarks evaluate: service i is `svc-<i>` with one availability SLO over
// http_requests_total, 5 to 11 requests per second, a small steady error fraction, and every
// `burningEvery`-th service burning 2 % errors over the last hour.
import { DEFAULT_GOVERNANCE, type Catalog, type Service } from '../src/catalog/model';
import { HOUR, type TrafficProfile } from '../test/support/history';

export interface SyntheticFleet {
  service(i: number): Service;
  profile(i: number): TrafficProfile;
  /** The traffic of services 0 to n-1. */
  profiles(n: number): TrafficProfile[];
  /** Services 0 to n-1. */
  catalog(n: number): Catalog;
}

export function syntheticFleet(options: { nameDigits: number; burningEvery: number }): SyntheticFleet {
  const service = (i: number): Service => {
    const name = `svc-${String(i).padStart(options.nameDigits, '0')}`;
    return {
      name,
      approvers: ['alice'],
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          window: '30d',
          sli: {
            events: {
              errorQuery: `sum(rate(http_requests_total{service="${name}",code=~"5.."}[{{.window}}]))`,
              totalQuery: `sum(rate(http_requests_total{service="${name}"}[{{.window}}]))`,
            },
          },
        },
      ],
      governance: DEFAULT_GOVERNANCE,
      source: { file: 'synthetic', document: i },
    };
  };
  const profile = (i: number): TrafficProfile => ({
    service: service(i).name,
    rps: 5 + (i % 7),
    errorFraction: 0.0001 * (1 + (i % 5)),
    segments: i % options.burningEvery === 0 ? [{ from: HOUR, to: 0, errorFraction: 0.02 }] : [],
  });
  const upTo = <T>(n: number, each: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => each(i));
  return {
    service,
    profile,
    profiles: (n) => upTo(n, profile),
    catalog: (n) => ({ services: upTo(n, service), violations: [] }),
  };
}
