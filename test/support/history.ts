// Deterministic metric histories for backfilling a real Prometheus (promtool tsdb
// create-blocks-from openmetrics). A service's traffic is a piecewise-constant profile; counters are
// its exact integral, so expected error ratios over any window are computed analytically.

/** A span of time, in seconds before the end of the history, where the profile differs from its base. */
export interface Segment {
  /** Seconds before the end where the segment starts (the larger number). */
  from: number;
  /** Seconds before the end where it stops (0 = still going at the end). */
  to: number;
  rps?: number;
  errorFraction?: number;
  slowFraction?: number;
}

export interface TrafficProfile {
  service: string;
  rps: number;
  errorFraction: number;
  /** Share of requests slower than the latency threshold (histogram bucket le="0.3"). */
  slowFraction?: number;
  segments?: Segment[];
}

interface Rates {
  rps: number;
  errorFraction: number;
  slowFraction: number;
}

export const HOUR = 3600;
export const DAY = 24 * HOUR;

/** Rates in force at `ago` seconds before the end (the last matching segment wins). */
function ratesAt(p: TrafficProfile, ago: number): Rates {
  let rates: Rates = { rps: p.rps, errorFraction: p.errorFraction, slowFraction: p.slowFraction ?? 0 };
  for (const s of p.segments ?? []) {
    if (ago <= s.from && ago > s.to) rates = { ...rates, ...definedOnly(s) };
  }
  return rates;
}

function definedOnly(s: Segment): Partial<Rates> {
  const out: Partial<Rates> = {};
  if (s.rps !== undefined) out.rps = s.rps;
  if (s.errorFraction !== undefined) out.errorFraction = s.errorFraction;
  if (s.slowFraction !== undefined) out.slowFraction = s.slowFraction;
  return out;
}

type Kind = 'total' | 'errors' | 'slow';

/** ∫ of a rate kind between `fromAgo` and `toAgo` seconds before the end (fromAgo > toAgo). */
export function integrate(p: TrafficProfile, kind: Kind, fromAgo: number, toAgo: number): number {
  const cuts = new Set<number>([fromAgo, toAgo]);
  for (const s of p.segments ?? []) for (const c of [s.from, s.to]) if (c < fromAgo && c > toAgo) cuts.add(c);
  const points = [...cuts].sort((a, b) => b - a);
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const r = ratesAt(p, (a + b) / 2);
    const perSecond =
      kind === 'total' ? r.rps : kind === 'errors' ? r.rps * r.errorFraction : r.rps * r.slowFraction;
    sum += perSecond * (a - b);
  }
  return sum;
}

/** The exact error ratio over the last `seconds` of the history. */
export function expectedRatio(
  p: TrafficProfile,
  seconds: number,
  kind: 'errors' | 'slow' = 'errors',
): number | null {
  const total = integrate(p, 'total', seconds, 0);
  // No traffic is no data (0/0 is null), as SafeDeploy reads it.
  return total === 0 ? null : integrate(p, kind, seconds, 0) / total;
}

export interface HistoryOptions {
  /** Unix seconds of the last sample. */
  end: number;
  /** Length of the history in seconds. */
  length: number;
  /** Sample spacing in the recent part, and how far back the recent part reaches. */
  recentStep: number;
  recentSpan: number;
  /** Sample spacing before that. */
  oldStep: number;
  /** Extra labels on every series, e.g. job and instance to continue a live scrape's series. */
  labels?: string;
}

export const DEFAULT_HISTORY: Omit<HistoryOptions, 'end'> = {
  length: 31 * DAY,
  recentStep: 60,
  recentSpan: 4 * DAY,
  oldStep: 1800,
};

/** Sample times as "seconds before the end", oldest first. */
export function sampleAges(o: HistoryOptions): number[] {
  const ages: number[] = [];
  for (let ago = o.length; ago > o.recentSpan; ago -= o.oldStep) ages.push(ago);
  for (let ago = o.recentSpan; ago >= 0; ago -= o.recentStep) ages.push(ago);
  return ages;
}

/** OpenMetrics text for every profile: request counters by code, and a latency histogram's buckets. */
export function renderOpenMetrics(profiles: TrafficProfile[], o: HistoryOptions): string {
  const ages = sampleAges(o);
  const lines: string[] = ['# HELP http_requests Requests served.', '# TYPE http_requests counter'];
  for (const p of profiles) {
    lines.push(
      ...counterLines(
        `http_requests_total{service="${p.service}",code="200"}`,
        p,
        ages,
        o,
        (a, b) => integrate(p, 'total', a, b) - integrate(p, 'errors', a, b),
      ),
    );
    lines.push(
      ...counterLines(`http_requests_total{service="${p.service}",code="500"}`, p, ages, o, (a, b) =>
        integrate(p, 'errors', a, b),
      ),
    );
  }
  lines.push('# TYPE http_request_duration_seconds_bucket unknown');
  for (const p of profiles.filter((x) => x.slowFraction !== undefined)) {
    const fast = (a: number, b: number) => integrate(p, 'total', a, b) - integrate(p, 'slow', a, b);
    lines.push(
      ...counterLines(
        `http_request_duration_seconds_bucket{service="${p.service}",le="0.3"}`,
        p,
        ages,
        o,
        fast,
      ),
    );
    lines.push(
      ...counterLines(
        `http_request_duration_seconds_bucket{service="${p.service}",le="+Inf"}`,
        p,
        ages,
        o,
        (a, b) => integrate(p, 'total', a, b),
      ),
    );
  }
  lines.push('# TYPE http_request_duration_seconds_count unknown');
  for (const p of profiles.filter((x) => x.slowFraction !== undefined)) {
    lines.push(
      ...counterLines(`http_request_duration_seconds_count{service="${p.service}"}`, p, ages, o, (a, b) =>
        integrate(p, 'total', a, b),
      ),
    );
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

function counterLines(
  rawSeries: string,
  _p: TrafficProfile,
  ages: number[],
  o: HistoryOptions,
  increase: (fromAgo: number, toAgo: number) => number,
): string[] {
  const series = o.labels ? rawSeries.replace('}', `,${o.labels}}`) : rawSeries;
  const out: string[] = [];
  let value = 0;
  let previous = o.length;
  for (const ago of ages) {
    value += increase(previous, ago);
    previous = ago;
    out.push(`${series} ${round(value)} ${o.end - ago}`);
  }
  return out;
}

function round(v: number): string {
  return (Math.round(v * 1000) / 1000).toString();
}
