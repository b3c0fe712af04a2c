// Reading the SLI ratios Prometheus recorded from `safedeploy rules generate`: one request per window
// for the whole fleet (every SafeDeploy-recorded series of that window), matched to the catalog's SLOs
// by service, SLO and SLI digest. An SLO counts as recorded only when every window it needs is there,
// and, for its SLO window, when the 5m series it averages reaches back to the start of that window
// (rules installed yesterday without a backfill would average one day and call it thirty). Any other
// SLO is left to the raw queries, whole: one SLO's windows never mix the two sources.
import type { Service, Slo } from '../catalog/model';
import { LABEL, PERIOD_SOURCE_WINDOW, sliDigest, sliErrorMetric } from '../rules/conventions';
import { ALERT_WINDOWS, durationSeconds } from '../slo/windows';
import type { PrometheusClient } from './client';
import { PromQLError } from './errors';
import { sloKey } from './measure';
import type { Sample } from './response';

/** Recorded ratios by window, for the SLOs fully recorded; keyed by sloKey(service, slo). */
export type RecordedRatios = Map<string, Record<string, number | null>>;

const COVERAGE_LABEL = 'safedeploy_coverage';
/** How close to the start of the SLO window the first recorded 5m sample must be. */
const COVERAGE_SLACK = '1h';
/**
 * Up to this many services the selector names them (Prometheus answers a regex of plain alternatives
 * with an index lookup per name), so one catalog's reads stay small on a Prometheus holding others;
 * above it the selector takes every recorded series.
 */
const MAX_SERVICES_IN_SELECTOR = 2_000;

export async function readRecorded(
  client: PrometheusClient,
  services: Service[],
  at: Date,
): Promise<RecordedRatios> {
  const windows = windowsOf(services);
  const filter = serviceFilter(services);
  const answers = await Promise.all(
    windows.map((w) => readWindow(client, recordedWindowExpr(w, filter), at)),
  );
  const found = new Map<string, Sample[]>();
  windows.forEach((w, i) => found.set(w, answers[i]!));
  return matchToCatalog(services, found);
}

/** The alert windows plus every SLO window that is not one of them. */
function windowsOf(services: Service[]): string[] {
  const windows = new Set<string>(ALERT_WINDOWS);
  for (const s of services) for (const slo of s.slos) windows.add(slo.window);
  return [...windows];
}

/**
 * One window's recorded series; for an SLO window beyond the alert windows, also whether the 5m
 * series existed at the window's start (tagged with COVERAGE_LABEL, so both fit in one request).
 */
export function recordedWindowExpr(window: string, filter: string): string {
  const series = identityOnly(`${sliErrorMetric(window)}{${filter}}`);
  if ((ALERT_WINDOWS as readonly string[]).includes(window)) return series;
  const offset = Math.max(0, durationSeconds(window) - durationSeconds(COVERAGE_SLACK));
  const coverage = `present_over_time(${sliErrorMetric(PERIOD_SOURCE_WINDOW)}{${filter}}[${COVERAGE_SLACK}] offset ${offset}s)`;
  return `${series} or label_replace(${identityOnly(coverage)}, "${COVERAGE_LABEL}", "1", "", "")`;
}

/**
 * Only the labels the reader matches on: halves what Prometheus serialises and SafeDeploy parses at
 * fleet scale. A series is unique by them (the rules give each SLO one series per window), so max()
 * only drops labels.
 */
function identityOnly(expr: string): string {
  return `max by (${LABEL.service}, ${LABEL.slo}, ${LABEL.sli}) (${expr})`;
}

function serviceFilter(services: Service[]): string {
  const recorded = `${LABEL.sli}!=""`;
  if (services.length === 0 || services.length > MAX_SERVICES_IN_SELECTOR) return recorded;
  const names = services.map((s) => s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return `${recorded}, ${LABEL.service}=~${JSON.stringify(names)}`;
}

/** A window Prometheus rejects (e.g. an unusual SLO window) is as good as unrecorded: raw takes over. */
async function readWindow(client: PrometheusClient, expr: string, at: Date): Promise<Sample[]> {
  try {
    return await client.query(expr, at);
  } catch (err) {
    if (err instanceof PromQLError) return [];
    throw err;
  }
}

/**
 * One window's samples by service (a service has few SLOs, so a short list is searched for the SLO).
 * Plain label strings from the response are the keys and no per-SLO map is built: at 10,000 SLOs,
 * composite keys or nested maps cost more CPU than parsing the responses.
 */
type WindowIndex = Map<string, Sample[]>;

function matchToCatalog(services: Service[], found: Map<string, Sample[]>): RecordedRatios {
  const index = new Map<string, WindowIndex>();
  for (const [window, samples] of found) {
    const byService: WindowIndex = new Map();
    for (const s of samples) {
      // A value that is not a Prometheus float proves nothing: that SLO is left to the raw queries.
      if (s.invalid !== undefined) continue;
      const service = s.labels[LABEL.service] ?? '';
      const list = byService.get(service);
      if (list) list.push(s);
      else byService.set(service, [s]);
    }
    index.set(window, byService);
  }
  const ratios: RecordedRatios = new Map();
  for (const service of services) {
    for (const slo of service.slos) {
      const recorded = ratiosOf(service, slo, index);
      if (recorded) ratios.set(sloKey(service.name, slo.name), recorded);
    }
  }
  return ratios;
}

function ratiosOf(
  service: Service,
  slo: Slo,
  index: Map<string, WindowIndex>,
): Record<string, number | null> | undefined {
  const digest = sliDigest(slo);
  const ratios: Record<string, number | null> = {};
  for (const window of ALERT_WINDOWS) {
    const sample = findSample(index.get(window)?.get(service.name), slo.name, digest, 'ratio');
    if (!sample) return undefined;
    ratios[window] = sample.value;
  }
  if (!(ALERT_WINDOWS as readonly string[]).includes(slo.window)) {
    const samples = index.get(slo.window)?.get(service.name);
    const sample = findSample(samples, slo.name, digest, 'ratio');
    if (!sample || !findSample(samples, slo.name, digest, 'coverage')) return undefined;
    ratios[slo.window] = sample.value;
  }
  return ratios;
}

function findSample(
  samples: Sample[] | undefined,
  slo: string,
  digest: string,
  kind: 'ratio' | 'coverage',
): Sample | undefined {
  if (!samples) return undefined;
  for (const s of samples) {
    if (s.labels[LABEL.slo] === slo && s.labels[LABEL.sli] === digest && kindOf(s) === kind) return s;
  }
  return undefined;
}

function kindOf(sample: Sample): 'ratio' | 'coverage' {
  return sample.labels[COVERAGE_LABEL] === '1' ? 'coverage' : 'ratio';
}
