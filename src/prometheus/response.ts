// The Prometheus HTTP API response envelope (https://prometheus.io/docs/prometheus/latest/querying/api/),
// validated with zod: a response of another shape is a protocol error, not silently "no data".
import { z } from 'zod';

/** Sample values arrive as strings so that NaN and ±Inf survive JSON. */
const sampleValue = z.tuple([z.number(), z.string()]);

const vector = z.object({
  resultType: z.literal('vector'),
  result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
});
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

/** One instant-query sample; `value` is null for NaN or ±Inf (no data, never zero). */
export interface Sample {
  labels: Record<string, string>;
  value: number | null;
}

export function parseSampleValue(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
