// PromQL written for other tools, turned into SafeDeploy event queries (a count of events over
// `{{.window}}`). Only shapes whose meaning is certain are rewritten; anything else is refused with
// the reason, so an import never guesses at what a query meant.
import { WINDOW_PLACEHOLDER } from '../catalog/schema';

export type QueryResult = { query: string; note?: string } | { problem: string };

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
/** Braces holding label matchers; quoted values may contain braces and escaped quotes. */
const MATCHERS = String.raw`\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}`;
const SELECTOR = new RegExp(`^(${NAME})?\\s*(${MATCHERS})?$`);
const SUM_OF_SELECTOR = /^sum\s*\(([\s\S]*)\)$/;

export function hasWindow(query: string): boolean {
  return WINDOW_PLACEHOLDER.test(query);
}

/** A plain series selector: `metric`, `metric{a="b"}` or `{__name__="metric"}`. */
export function parseSelector(text: string): { name?: string; matchers?: string } | undefined {
  const match = SELECTOR.exec(text.trim());
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return {
    ...(match[1] !== undefined && { name: match[1] }),
    ...(match[2] !== undefined && { matchers: match[2] }),
  };
}

/**
 * A counter query as OpenSLO writes it (`counter: true`): a query that already uses `{{.window}}` (the
 * convention Sloth's OpenSLO support shares) is kept; a plain selector, or `sum(selector)`, becomes the
 * rate of that counter over the window.
 */
export function counterEventsQuery(query: string): QueryResult {
  const trimmed = query.trim();
  if (hasWindow(trimmed)) return { query: trimmed };
  const inner = SUM_OF_SELECTOR.exec(trimmed)?.[1] ?? trimmed;
  if (parseSelector(inner) === undefined) {
    return {
      problem:
        'a counter query must be a series selector, sum(selector) or use {{.window}}; ' +
        `"${oneLine(trimmed)}" is neither, so its window is unknown`,
    };
  }
  const rewritten = `sum(rate(${inner.trim()}[{{.window}}]))`;
  return { query: rewritten, note: `query "${oneLine(trimmed)}" read as ${rewritten}` };
}

/** `total - good`, parenthesised so any query shape keeps its meaning. */
export function errorsFromGood(total: string, good: string): string {
  return `(${total}) - (${good})`;
}

export type ThresholdOp = 'lt' | 'lte' | 'gt' | 'gte';

export type HistogramResult =
  { errorQuery: string; totalQuery: string; notes: string[] } | { problem: string };

/**
 * A threshold on a histogram (`http_request_duration_seconds_bucket{job="x"}`, or the histogram's base
 * name) becomes events: good requests are the bucket at the threshold (le="value"), all requests the
 * `_count` series. A histogram only knows "at most le", so `lt` reads as `lte` (a note says so), and the
 * threshold must be one of the histogram's bucket bounds.
 */
export function histogramThresholdEvents(query: string, op: ThresholdOp, value: number): HistogramResult {
  const selector = parseSelector(query);
  if (selector?.name === undefined) {
    return {
      problem:
        'a threshold metric converts only when its query is a histogram selector (e.g. ' +
        `latency_seconds_bucket{job="x"}); "${oneLine(query)}" would need Timeslices budgeting`,
    };
  }
  const base = selector.name.replace(/_(bucket|count|sum)$/, '');
  const matchers = selector.matchers?.slice(1, -1).trim() ?? '';
  const withLe = [matchers, `le="${formatBound(value)}"`].filter((m) => m !== '').join(', ');
  const rate = (series: string) => `sum(rate(${series}[{{.window}}]))`;
  const bucket = rate(`${base}_bucket{${withLe}}`);
  const total = rate(matchers === '' ? `${base}_count` : `${base}_count{${matchers}}`);
  const notes = [
    `threshold ${op} ${value} on ${base} read as the bucket le="${formatBound(value)}": it must be one of the histogram's bucket bounds`,
  ];
  if (op === 'lt' || op === 'gt')
    notes.push(`"${op}" read as "${op}e": a histogram bucket counts observations at most its bound`);
  const goodIsBucket = op === 'lt' || op === 'lte';
  return goodIsBucket
    ? { errorQuery: `${total} - ${bucket}`, totalQuery: total, notes }
    : { errorQuery: bucket, totalQuery: total, notes };
}

function formatBound(value: number): string {
  return String(value);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
