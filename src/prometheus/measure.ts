// Measure every SLI of a fleet at one instant: one batched request per window (the alert windows
// plus each distinct SLO window), not one request per service.
import type { Service } from '../catalog/model';
import type { RawMeasurement, SloMeasurement } from '../slo/assess';
import { ALERT_WINDOWS } from '../slo/windows';
import { queryBatch, type BatchOptions, type BatchResult, type NamedQuery } from './batch';
import type { PrometheusClient } from './client';
import { closedRange } from './closed-range';

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
  const batches = await Promise.all(
    windows.map(([window, queries]) => measureWindow(client, window, queries, at, options)),
  );
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

/** One window's batch; SLOs whose total is empty are asked again over the closed range (closed-range.ts). */
async function measureWindow(
  client: PrometheusClient,
  window: string,
  queries: WindowQuery[],
  at: Date,
  options: BatchOptions,
): Promise<BatchResult> {
  const result = await queryBatch(client, queries, at, options);
  const failed = new Set(result.failures.map((f) => sloOf(f.id)));
  const empty = new Set(
    queries
      .filter((q) => q.id.endsWith('\u0000totals') && result.values.get(q.id) === null)
      .map((q) => sloOf(q.id))
      .filter((slo) => !failed.has(slo)),
  );
  if (empty.size === 0) return result;
  const closed = closedRange(window);
  const retry = queries
    .filter((q) => empty.has(sloOf(q.id)))
    .map((q) => ({ id: q.id, expr: renderQuery(q.template, closed) }));
  const second = await queryBatch(client, retry, at, options);
  for (const q of retry) {
    const totals = second.values.get(`${sloOf(q.id)}\u0000totals`) ?? null;
    if (totals !== null) result.values.set(q.id, second.values.get(q.id) ?? null);
  }
  return result;
}

/** `service\0slo\0kind` → `service\0slo`. */
function sloOf(id: string): string {
  return id.slice(0, id.lastIndexOf('\u0000'));
}

interface WindowQuery extends NamedQuery {
  template: string;
}

/** Group every SLI query by window; ids encode service, SLO and kind. */
function queriesByWindow(services: Service[]): Map<string, WindowQuery[]> {
  const byWindow = new Map<string, WindowQuery[]>();
  for (const service of services) {
    for (const slo of service.slos) {
      for (const window of new Set<string>([...ALERT_WINDOWS, slo.window])) {
        const list = byWindow.get(window) ?? [];
        const id = (kind: string) => [service.name, slo.name, kind].join('\u0000');
        const { errorQuery, totalQuery } = slo.sli.events;
        list.push({ id: id('errors'), expr: renderQuery(errorQuery, window), template: errorQuery });
        list.push({ id: id('totals'), expr: renderQuery(totalQuery, window), template: totalQuery });
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
