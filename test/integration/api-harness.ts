// Shared by the api*.test.ts files: a real SafeDeploy API on 127.0.0.1 over a control-loop world,
// an HTTP helper that keeps every response (so a test can search them all for the token), the slow
// burn SliExporter lacks, and a tiny evaluator for the AnalysisTemplate's conditions.
import type { FastifyInstance } from 'fastify';
import { createApiDeps, type ApiDeps } from '../../src/api/deps';
import { buildApiServer, type ApiServerOptions } from '../../src/api/server';
import type { TemporalOptions } from '../../src/temporal/connection';
import type { ControlLoopWorld, SliExporter } from '../support/control-loop';
export { evaluateCondition, shippedGateTemplate, type GateTemplate } from '../support/argo';
import { testTemporalAddress } from '../harness/temporal';

export const TOKEN = 'sdt-test-7f3c9a1e5b2d4f6a8c0e9b7d5f3a1c2e';

export interface RunningApi {
  url: string;
  app: FastifyInstance;
  deps: ApiDeps;
  /** Every log line the server wrote. */
  logs: string[];
  /** Every response received through call(), headers and body, as text. */
  responses: string[];
  call(
    route: string,
    token?: string,
  ): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

export async function startApi(
  world: ControlLoopWorld,
  namespace: string,
  options: ApiServerOptions & {
    temporal?: Partial<TemporalOptions>;
    timeoutMs?: number;
    /** The gate's staleness bound; 0 (the default here) reads every input afresh for every call. */
    gateMaxAgeMs?: number;
  } = {},
): Promise<RunningApi> {
  const temporal = { address: testTemporalAddress(), namespace, ...options.temporal };
  const deps = await createApiDeps({
    catalogDir: world.catalogDir,
    prometheusUrl: world.prometheus.url,
    temporal,
    timeoutMs: options.timeoutMs ?? 3_000,
    gateMaxAgeMs: options.gateMaxAgeMs ?? 0,
  });
  const logs: string[] = [];
  const app = buildApiServer(deps, {
    token: TOKEN,
    ...options,
    logger: { level: 'debug', stream: { write: (line) => void logs.push(line) } },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const responses: string[] = [];
  return {
    url,
    app,
    deps,
    logs,
    responses,
    async call(route, token = TOKEN) {
      const response = await fetch(url + route, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const text = await response.text();
      responses.push(JSON.stringify([...response.headers]), text);
      return { status: response.status, headers: response.headers, json: parseJson(text), text };
    },
    close: () => app.close(),
  };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

type Ratios = Record<string, number>;

/**
 * A slow burn on a 99.9 % SLO: 4x over 1d and 2h (> 3x), 4x over 6h (< 6x) and 1h (< 14.4x), and a
 * budget half full. SliExporter keeps its ratios private; this sets them through the same map.
 */
export function slowBurn(exporter: SliExporter, service: string): void {
  const ratios: Ratios = {
    '5m': 0.004,
    '30m': 0.004,
    '1h': 0.004,
    '2h': 0.004,
    '6h': 0.004,
    '1d': 0.004,
    '3d': 0.0005,
    '30d': 0.0005,
  };
  (exporter as unknown as { ratios: Map<string, Ratios> }).ratios.set(service, ratios);
}
