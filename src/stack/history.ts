// History for the local Prometheus. SLOs are judged over 30 days and burn rates over 5m…3d windows; a
// Prometheus started a minute ago has none of that, so its first errors would look like a budget spent
// many times over and never recover. The stack therefore backfills the demo service's healthy steady
// traffic (same service, same rate) for the time Prometheus has no data of: 31 days on the first
// start, the time the stack was stopped on later ones. Live scrapes take over from there.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const DAY = 86_400;
const FIRST_HISTORY = 31 * DAY;
/** Sample spacing: fine where short windows look, coarse further back. */
const RECENT_SPAN = 2 * DAY;
const RECENT_STEP = 60;
const OLD_STEP = 600;
/** A gap this short (a quick restart) is not worth a TSDB block. */
export const MIN_GAP_SECONDS = 120;

export interface HistorySpan {
  /** Unix seconds. */
  from: number;
  to: number;
}

/** The span to backfill now, or undefined when Prometheus has (almost) no gap. */
export async function historyGap(historyFile: string, now: number): Promise<HistorySpan | undefined> {
  const coveredUntil = await readCoverage(historyFile);
  const from = Math.max(coveredUntil ?? 0, now - FIRST_HISTORY);
  return now - from >= MIN_GAP_SECONDS ? { from, to: now } : undefined;
}

async function readCoverage(historyFile: string): Promise<number | undefined> {
  const text = await readFile(historyFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const seconds = Date.parse((JSON.parse(text) as { coveredUntil?: string }).coveredUntil ?? '') / 1000;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** Records that Prometheus has data up to `at`; written while the stack runs and when it stops. */
export async function recordCoverage(historyFile: string, at: Date): Promise<void> {
  await mkdir(path.dirname(historyFile), { recursive: true });
  await writeFile(historyFile, `${JSON.stringify({ coveredUntil: at.toISOString() })}\n`);
}

/**
 * OpenMetrics text of `rps` healthy, fast requests per second over `span`: the series the catalog's
 * SLI queries read, each counting from 0 at the span's start. A per-span instance label keeps every
 * backfilled span its own series, so spans never collide with each other or with live scrapes.
 */
export function historyOpenMetrics(service: string, rps: number, span: HistorySpan): string {
  const times = sampleTimes(span);
  const labels = `service="${service}",job="history",instance="history-${span.from}"`;
  const counting = (series: string) =>
    times.map((t) => `${series} ${Math.round((t - span.from) * rps)} ${t}`);
  const zero = (series: string) => times.map((t) => `${series} 0 ${t}`);
  return [
    '# TYPE http_requests counter',
    ...counting(`http_requests_total{${labels},code="200"}`),
    ...zero(`http_requests_total{${labels},code="500"}`),
    '# TYPE http_request_duration_seconds_bucket unknown',
    ...counting(`http_request_duration_seconds_bucket{${labels},le="0.3"}`),
    ...counting(`http_request_duration_seconds_bucket{${labels},le="+Inf"}`),
    '# TYPE http_request_duration_seconds_count unknown',
    ...counting(`http_request_duration_seconds_count{${labels}}`),
    '',
  ].join('\n');
}

function sampleTimes(span: HistorySpan): number[] {
  const times: number[] = [];
  const recentFrom = Math.max(span.from, span.to - RECENT_SPAN);
  for (let t = span.from; t < recentFrom; t += OLD_STEP) times.push(t);
  for (let t = recentFrom; t < span.to; t += RECENT_STEP) times.push(t);
  times.push(span.to);
  return times;
}
