// Batched instant queries: many PromQL expressions answered by one HTTP request. Each expression is
// aggregated to one series with sum() and tagged with its index by label_replace, and the tagged
// vectors are joined with `or` (their label sets differ, so `or` keeps them all). If Prometheus
// rejects the batch, each expression is asked alone, so one bad query cannot blind the whole fleet.
import type { PrometheusClient } from './client';
import { PromQLError } from './errors';

export interface NamedQuery {
  id: string;
  expr: string;
}

export interface QueryFailure {
  id: string;
  expr: string;
  message: string;
}

export interface BatchResult {
  /** null: the series is absent, NaN or ±Inf. */
  values: Map<string, number | null>;
  failures: QueryFailure[];
}

export interface BatchOptions {
  /** Most expressions in one request (bounds query size and duration). Default: DEFAULT_MAX_PER_REQUEST. */
  maxPerRequest?: number;
  /** Ask one expression per request, the unbatched baseline used by benchmarks. */
  unbatched?: boolean;
}

const TAG = 'safedeploy_query';

/**
 * Expressions per request by default: 250 SLOs (errors and totals) per window. Beyond that a window
 * takes several requests, so no single request runs into the client's timeout on a large fleet.
 */
export const DEFAULT_MAX_PER_REQUEST = 500;

export async function queryBatch(
  client: PrometheusClient,
  queries: NamedQuery[],
  at: Date,
  options: BatchOptions = {},
): Promise<BatchResult> {
  const result: BatchResult = { values: new Map(), failures: [] };
  if (options.unbatched) {
    await queryEachAlone(client, queries, at, result);
    return result;
  }
  for (const chunk of chunks(queries, options.maxPerRequest ?? DEFAULT_MAX_PER_REQUEST)) {
    try {
      const samples = await client.query(batchExpression(chunk), at);
      const byIndex = new Map(samples.map((s) => [s.labels[TAG], s.value]));
      chunk.forEach((q, i) => result.values.set(q.id, byIndex.get(String(i)) ?? null));
    } catch (err) {
      if (!(err instanceof PromQLError)) throw err;
      await queryEachAlone(client, chunk, at, result);
    }
  }
  return result;
}

export function batchExpression(queries: NamedQuery[]): string {
  return balancedOr(queries.map((q, i) => `label_replace(sum(${q.expr}), "${TAG}", "${i}", "", "")`));
}

/**
 * `a or b or c …` associates to the left, so Prometheus copies a growing result at every step
 * (quadratic); a balanced tree of `or` keeps it at n log n (measured: 300 queries 583 → 259 ms).
 */
function balancedOr(parts: string[]): string {
  if (parts.length === 1) return parts[0]!;
  const middle = parts.length >> 1;
  return `(${balancedOr(parts.slice(0, middle))}) or (${balancedOr(parts.slice(middle))})`;
}

async function queryEachAlone(
  client: PrometheusClient,
  queries: NamedQuery[],
  at: Date,
  result: BatchResult,
): Promise<void> {
  for (const q of queries) {
    try {
      const samples = await client.query(`sum(${q.expr})`, at);
      result.values.set(q.id, samples[0]?.value ?? null);
    } catch (err) {
      if (!(err instanceof PromQLError)) throw err;
      result.values.set(q.id, null);
      result.failures.push({ id: q.id, expr: q.expr, message: `${err.errorType}: ${err.prometheusMessage}` });
    }
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
