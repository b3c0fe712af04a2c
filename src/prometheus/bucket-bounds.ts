// Prometheus 3 normalises the `le` label of classic histogram buckets and the `quantile` label of
// summaries when it ingests them: an exporter's `le="1"` is stored as `le="1.0"`. A catalog query that
// names the bucket `le="1"` then matches nothing on Prometheus 3 (the SLO reads as no-data), while
// `le="1.0"` matches nothing on Prometheus 2 or VictoriaMetrics, which keep the exporter's spelling.
// So an equality matcher on an integer bound becomes a regex that matches both spellings:
// `le="1"` → `le=~"1|1[.]0"` (and `!=` → `!~`). Bounds such as "0.3" are written alike everywhere and
// stay as they are. The rewrite skips quoted strings, so a label value or a UTF-8 metric name that
// happens to contain `le="1"` is left alone.

const BOUND_LABELS = new Set(['le', 'quantile']);
const INTEGER_BOUND = /^([+-]?\d+)(?:\.0+)?$/;

/** Rewrites integer `le`/`quantile` equality matchers so they match either spelling. */
export function normaliseBucketMatchers(query: string): string {
  let out = '';
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = stringEnd(query, i);
      out += query.slice(i, end);
      i = end;
      continue;
    }
    const matcher = /^(le|quantile)(\s*)(!?=)(\s*)"([^"\\]*)"/.exec(query.slice(i));
    if (matcher && isLabelStart(query, i) && BOUND_LABELS.has(matcher[1]!)) {
      const [whole, label, space1, op, space2, value] = matcher as unknown as string[];
      out += rewrite(label!, space1!, op!, space2!, value!) ?? whole!;
      i += whole!.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function rewrite(label: string, s1: string, op: string, s2: string, value: string): string | undefined {
  const integer = INTEGER_BOUND.exec(value)?.[1];
  if (integer === undefined) return undefined;
  const regexOp = op === '=' ? '=~' : '!~';
  return `${label}${s1}${regexOp}${s2}"${integer}|${integer}[.]0"`;
}

/** A label name starts here: not in the middle of a longer identifier (e.g. `handle="1"`). */
function isLabelStart(query: string, i: number): boolean {
  return i === 0 || !/[A-Za-z0-9_:.]/.test(query[i - 1]!);
}

/** Index just past the string literal opening at `start` (backslash escapes; raw backtick strings). */
function stringEnd(query: string, start: number): number {
  const quote = query[start]!;
  let i = start + 1;
  while (i < query.length && query[i] !== quote) i += quote !== '`' && query[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, query.length);
}
