// Where each SLO's numbers come from: the ratios Prometheus recorded (`rules generate`) when every
// window of the SLO is there, else the SLI queries on raw samples, chosen per SLO and reported as the
// assessment's `source`. `raw` skips the recorded series altogether (benchmarks, comparisons).
import type { Service } from '../catalog/model';
import type { BatchOptions } from './batch';
import type { PrometheusClient } from './client';
import { measureFleet, sloKey, type FleetMeasurement } from './measure';
import { readRecorded } from './recorded';

export type SourcePreference = 'auto' | 'raw';
export const SOURCE_PREFERENCES: readonly SourcePreference[] = ['auto', 'raw'];

export interface MeasureOptions extends BatchOptions {
  /** auto (default): recorded series where complete, raw queries for the rest; raw: raw only. */
  source?: SourcePreference;
}

export async function measureFromSources(
  client: PrometheusClient,
  services: Service[],
  at: Date,
  options: MeasureOptions = {},
): Promise<FleetMeasurement> {
  if (options.source === 'raw') return measureFleet(client, services, at, options);
  const recorded = await readRecorded(client, services, at);
  const unrecorded = services
    .map((s) => ({ ...s, slos: s.slos.filter((slo) => !recorded.has(sloKey(s.name, slo.name))) }))
    .filter((s) => s.slos.length > 0);
  const measured: FleetMeasurement =
    unrecorded.length > 0
      ? await measureFleet(client, unrecorded, at, options)
      : { slos: new Map(), failures: [] };
  for (const [key, ratios] of recorded) measured.slos.set(key, { source: 'recorded', ratios });
  return measured;
}
