// The demo service: a tiny HTTP server standing in for "checkout". It serves its own synthetic
// traffic at a steady rate (so there is always something to measure), exposes prom-client metrics,
// and takes faults at run time from POST /admin/faults — the errors a bad release would cause.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, updateFaults } from './faults';
import { createDemoMetrics, type DemoMetrics } from './metrics';
import { errorMessage } from '../errors';

export interface DemoServiceOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The `service` label: the catalog entry whose SLOs read these metrics. */
  service: string;
  /** Synthetic requests per second. */
  rps: number;
}

export interface DemoService {
  url: string;
  /** host:port, as a Prometheus scrape target. */
  target: string;
  injector: FaultInjector;
  close(): Promise<void>;
}

const TICK_MS = 200;
const MAX_BODY_BYTES = 4096;

export async function startDemoService(options: DemoServiceOptions): Promise<DemoService> {
  const injector = new FaultInjector();
  const metrics = createDemoMetrics(options.service);
  const server = createServer((request, response) => {
    route(request, response, injector, metrics).catch((err: unknown) => {
      if (!response.headersSent) reply(response, 500, { error: String(err) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const stopTraffic = generateTraffic(options.rps, () => metrics.record(injector.next()));
  const target = `${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`;
  return {
    url: `http://${target}`,
    target,
    injector,
    close: () => {
      stopTraffic();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** Serves exactly `rps` requests per second on average, catching up after a slow tick. */
function generateTraffic(rps: number, serveOne: () => void): () => void {
  const started = Date.now();
  let served = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * rps);
    for (; served < due; served++) serveOne();
  }, TICK_MS);
  return () => clearInterval(timer);
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  injector: FaultInjector,
  metrics: DemoMetrics,
): Promise<void> {
  const path = request.url?.split('?')[0] ?? '/';
  const key = `${request.method ?? 'GET'} ${path}`;
  if (key === 'GET /metrics') {
    const body = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  } else if (key === 'GET /healthz') {
    reply(response, 200, { status: 'ok' });
  } else if (key === 'GET /admin/faults') {
    reply(response, 200, injector.current());
  } else if (key === 'POST /admin/faults') {
    await setFaults(request, response, injector);
  } else if (key === 'GET /' || key === 'GET /checkout') {
    // A real request gets the same treatment as the synthetic ones, delay included.
    const outcome = injector.next();
    await new Promise((resolve) => setTimeout(resolve, outcome.seconds * 1000));
    metrics.record(outcome);
    reply(response, outcome.code, outcome.code === 200 ? { status: 'ordered' } : { error: 'injected fault' });
  } else {
    reply(response, 404, {
      error: `no route ${key}`,
      routes: ['GET /checkout', 'GET /metrics', 'POST /admin/faults'],
    });
  }
}

async function setFaults(request: IncomingMessage, response: ServerResponse, injector: FaultInjector) {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
    injector.set(updateFaults(injector.current(), body));
  } catch (err) {
    reply(response, 400, { error: errorMessage(err) });
    return;
  }
  reply(response, 200, injector.current());
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length > MAX_BODY_BYTES) throw new Error(`body larger than ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
