// Test helpers around a real Prometheus: a fresh one per test (or file), a metrics endpoint the test controls
// for live scraping, and polling for things that only become true after a scrape.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startPrometheus,
  type PrometheusServer,
  type StartPrometheusOptions,
} from '../../src/servers/prometheus-server';

export { waitFor } from './wait';

export type TestPrometheusOptions = Omit<StartPrometheusOptions, 'dataDir'>;

/** Starts Prometheus on a fresh temporary directory; stop() also deletes the directory. */
export function startTestPrometheus(options: TestPrometheusOptions = {}): Promise<PrometheusServer> {
  return startOnTempDir('safedeploy-test-prometheus-', (dataDir) => startPrometheus({ ...options, dataDir }));
}

/** Starts a server (Prometheus or a compatible backend) on a fresh temporary directory that stop() deletes. */
export async function startOnTempDir(
  prefix: string,
  start: (dataDir: string) => Promise<PrometheusServer>,
): Promise<PrometheusServer> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  try {
    const server = await start(dataDir);
    return {
      url: server.url,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Runs `use` against a fresh Prometheus and always stops it. */
export async function withPrometheus<T>(
  options: TestPrometheusOptions,
  use: (prometheus: PrometheusServer) => Promise<T>,
): Promise<T> {
  const prometheus = await startTestPrometheus(options);
  try {
    return await use(prometheus);
  } finally {
    await prometheus.stop();
  }
}

export interface TestExporter {
  /** host:port, as a Prometheus scrape target. */
  target: string;
  url: string;
  close(): Promise<void>;
}

/** A /metrics endpoint on 127.0.0.1 whose text exposition the test produces on every scrape. */
export async function startTestExporter(metrics: () => string | Promise<string>): Promise<TestExporter> {
  const server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    Promise.resolve()
      .then(metrics)
      .then(
        (body) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body),
        (err: unknown) => response.writeHead(500).end(String(err)),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const target = `127.0.0.1:${port}`;
  return {
    target,
    url: `http://${target}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
