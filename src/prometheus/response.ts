// The Prometheus HTTP API response envelope (https://prometheus.io/docs/prometheus/latest/querying/api/),
// validated with zod: a response of another shape is a protocol error, not silently "no data".
import { z } from 'zod';

/** Sample values arrive as strings so that NaN and ±Inf survive JSON. */
const sampleValue = z.tuple([z.number(), z.string()]);

// A vector's samples are checked by vectorSamples below, not by zod: at fleet scale (80,000 samples
// per cycle) zod's per-element walk cost seconds (docs/BENCHMARKS.md, "recorded series").
const vector = z.object({ resultType: z.literal('vector'), result: z.unknown() });
const scalar = z.object({ resultType: z.literal('scalar'), result: sampleValue });
const matrix = z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) });
const string = z.object({ resultType: z.literal('string'), result: sampleValue });

export const queryResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [vector, scalar, matrix, string]),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

export type QueryResponse = z.infer<typeof queryResponse>;

/**
 * One instant-query sample. `value` is null for NaN or ±Inf (no data, never zero); `invalid` says why
 * a value that is not a Prometheus float was refused (and `value` is then null too).
 */
export interface Sample {
  labels: Record<string, string>;
  value: number | null;
  invalid?: string;
}

/**
 * How Prometheus writes a sample value: a decimal float (Go's strconv.FormatFloat), or NaN, +Inf and
 * -Inf spelled exactly so. Anything else (an empty string, spaces, "0x10", "1_000", "Infinity") is
 * not a value Prometheus sends, so it is refused rather than read by Number()'s looser grammar.
 */
const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = new Set(['NaN', '+Inf', '-Inf']);

export type SampleValue = { value: number | null } | { invalid: string };

export function parseSampleValue(text: string): SampleValue {
  if (NOT_FINITE.has(text)) return { value: null };
  if (!DECIMAL_FLOAT.test(text)) {
    return {
      invalid: `Prometheus answered a sample value that is not a number: ${JSON.stringify(text.slice(0, 40))}`,
    };
  }
  // "-0" is zero: read it as 0 so no caller has to tell the two apart (Object.is, toEqual).
  const value = Number(text) + 0;
  // A decimal beyond float64's range overflows to ±Infinity, which is no data like +Inf.
  return { value: Number.isFinite(value) ? value : null };
}

export function toSample(labels: Record<string, string>, text: string): Sample {
  const parsed = parseSampleValue(text);
  return 'invalid' in parsed
    ? { labels, value: null, invalid: parsed.invalid }
    : { labels, value: parsed.value };
}

/**
 * A vector result's samples, checked as strictly as the zod schema they replace: an array of
 * `{metric: {label: string…}, value: [time, "value"]}`. Returns the first problem as text instead.
 */
export function vectorSamples(result: unknown): Sample[] | string {
  if (!Array.isArray(result)) return 'data.result: expected an array';
  const samples: Sample[] = new Array<Sample>(result.length);
  for (let i = 0; i < result.length; i++) {
    const item: unknown = result[i];
    if (typeof item !== 'object' || item === null) return `data.result[${i}]: expected an object`;
    const { metric, value } = item as { metric?: unknown; value?: unknown };
    if (!isLabelSet(metric)) return `data.result[${i}].metric: expected an object of string labels`;
    if (
      !Array.isArray(value) ||
      value.length !== 2 ||
      typeof value[0] !== 'number' ||
      typeof value[1] !== 'string'
    )
      return `data.result[${i}].value: expected [unix time, "value"]`;
    samples[i] = toSample(metric, value[1]);
  }
  return samples;
}

function isLabelSet(metric: unknown): metric is Record<string, string> {
  if (typeof metric !== 'object' || metric === null || Array.isArray(metric)) return false;
  for (const name of Object.keys(metric)) {
    if (typeof (metric as Record<string, unknown>)[name] !== 'string') return false;
  }
  return true;
}

/** The series of a range query's matrix result. */
export const rangeSeries = z.array(
  z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) }),
);

/** One series of a range query; `at` in Unix seconds, `value` null for NaN or ±Inf. */
export interface RangeSeries {
  labels: Record<string, string>;
  points: { at: number; value: number | null }[];
}
