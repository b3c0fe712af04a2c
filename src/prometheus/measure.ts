// Measure every SLI of a fleet at one instant: one batched request per window (the alert windows
// plus each distinct SLO window), not one request per service.
import type { Service } from '../catalog/model';
import type { RawMeasurement, SloMeasurement } from '../slo/assess';
import { ALERT_WINDOWS } from '../slo/windows';
import { queryBatch, type BatchOptions, type NamedQuery } from './batch';
import type { PrometheusClient } from './client';

export interface SliFailure {
  service: string;
  slo: string;
  window: string;
  query: string;
  message: string;
}

export interface FleetMeasurement {
  /** Keyed by sloKey(service, slo). */
  slos: Map<string, SloMeasurement>;
  failures: SliFailure[];
}

const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

export function renderQuery(template: string, window: string): string {
  return template.replace(WINDOW_PLACEHOLDER, window);
}

export function sloKey(service: string, slo: string): string {
  return `${service}/${slo}`;
}

export async function measureFleet(
  client: PrometheusClient,
  services: Service[],
  at: Date,
  options: BatchOptions = {},
): Promise<FleetMeasurement> {
  const measurement: FleetMeasurement = { slos: new Map(), failures: [] };
  const windows = [...queriesByWindow(services)];
  // Windows are independent requests; asking them concurrently keeps an evaluation to the slowest one.
  const batches = await Promise.all(windows.map(([, queries]) => queryBatch(client, queries, at, options)));
  windows.forEach(([window, queries], i) => {
    const batch = batches[i]!;
    for (const q of queries) {
      const [service, slo, kind] = q.id.split('\u0000') as [string, string, 'errors' | 'totals'];
      const entry = slotFor(measurement, service, slo);
      entry[kind][window] = batch.values.get(q.id) ?? null;
    }
    for (const f of batch.failures) {
      const [service = '', slo = ''] = f.id.split('\u0000');
      // A window whose answer is unknown could hide a burn: the whole SLO is no data, never normal.
      slotFor(measurement, service, slo).failed = true;
      measurement.failures.push({ service, slo, window, query: f.expr, message: f.message });
    }
  });
  return measurement;
}

/** Group every SLI query by window; ids encode service, SLO and kind. */
function queriesByWindow(services: Service[]): Map<string, NamedQuery[]> {
  const byWindow = new Map<string, NamedQuery[]>();
  for (const service of services) {
    for (const slo of service.slos) {
      for (const window of new Set<string>([...ALERT_WINDOWS, slo.window])) {
        const list = byWindow.get(window) ?? [];
        const id = (kind: string) => [service.name, slo.name, kind].join('\u0000');
        list.push({ id: id('errors'), expr: renderQuery(slo.sli.events.errorQuery, window) });
        list.push({ id: id('totals'), expr: renderQuery(slo.sli.events.totalQuery, window) });
        byWindow.set(window, list);
      }
    }
  }
  return byWindow;
}

function slotFor(m: FleetMeasurement, service: string, slo: string): RawMeasurement {
  const key = sloKey(service, slo);
  let entry = m.slos.get(key);
  if (!entry || 'ratios' in entry) {
    entry = { errors: {}, totals: {} };
    m.slos.set(key, entry);
  }
  return entry;
}
