// Catalog queries and Prometheus answers are untrusted: against a real Prometheus, one service's
// query cannot change another service's verdict, a sample value that is not a Prometheus float never
// reads as a number, and a service without traffic over its SLO window is no-data, never allowed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../../src/catalog/model';
import { parseCatalogText } from '../../src/catalog/parse';
import { evaluateFleet } from '../../src/evaluation/evaluate-fleet';
import { PrometheusClient } from '../../src/prometheus/client';
import { startPrometheus } from '../../src/servers/prometheus-server';
import { END, SCENARIOS, serviceYaml, type ServiceScenario } from '../fixtures/fleet-scenarios';
import { jsonOf, runCli } from '../support/cli';
import { DEFAULT_HISTORY, renderOpenMetrics } from '../support/history';

interface EvaluateJson {
  services: { service: string; severity: string; gate: { verdict: string } }[];
  queryErrors?: { service: string; slo: string; message: string }[];
}

const TAG = 'safedeploy_query';
const scenario = (name: string): ServiceScenario => SCENARIOS.find((s) => s.profile.service === name)!;
const victim = scenario('fast-1h');
// First in the catalog (services are evaluated in file order), so its batch entries come first.
const attacker: ServiceScenario = {
  ...scenario('healthy'),
  profile: { ...scenario('healthy').profile, service: 'aaa' },
};
const silent: ServiceScenario = {
  ...scenario('healthy'),
  profile: { service: 'silent', rps: 0, errorFraction: 0 },
};
/**
 * Closes the batch's sum( and label_replace( and tags a zero with the index of the victim's error
 * query (attacker errors 0, attacker totals 1, victim errors 2), so `or` keeps the attacker's value.
 */
const ESCAPE = `vector(0)), "${TAG}", "9", "", "") or label_replace(vector(0), "${TAG}", "2", "", "") or label_replace(sum(vector(0)`;

let workDir: string;
let prometheus: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-untrusted-prometheus-'));
  prometheus = await startPrometheus({
    dataDir: path.join(workDir, 'prometheus'),
    backfill: renderOpenMetrics([victim.profile, attacker.profile, silent.profile], {
      ...DEFAULT_HISTORY,
      end: END,
    }),
  });
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function writeCatalog(name: string, documents: string[]): Promise<string> {
  const dir = path.join(workDir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'services.yaml'), documents.join('---\n'));
  return dir;
}

const evaluate = (catalog: string, url = prometheus.url) =>
  runCli(['evaluate', '--catalog', catalog, '--prometheus', url, '--at', String(END), '--json']);

const attackerYaml = serviceYaml(attacker, {
  error: ESCAPE.replace('vector(0))', 'rate(http_requests_total{service="aaa"}[{{.window}}]))'),
  total: 'sum(rate(http_requests_total{service="aaa"}[{{.window}}]))',
});

describe('one service cannot change another service’s verdict', () => {
  it('refuses the escaping query by file and field, before asking Prometheus', async () => {
    const dir = await writeCatalog('attack', [attackerYaml, serviceYaml(victim)]);
    for (const command of [
      ['catalog', 'validate', '--catalog', dir],
      ['evaluate', '--catalog', dir, '--prometheus', prometheus.url],
    ]) {
      const run = await runCli(command);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /services\.yaml \(document 1\): spec\.slos\[0\]\.sli\.events\.errorQuery: is not one PromQL expression: syntax error at character \d+/,
      );
    }
  });

  describe('with validation bypassed (a model built by hand)', () => {
    const catalog = (): Catalog => {
      const [victimService] = parseCatalogText(serviceYaml(victim), 'victim.yaml').services;
      const [honest] = parseCatalogText(serviceYaml(attacker), 'aaa.yaml').services;
      const slo = honest!.slos[0]!;
      const evil = {
        ...honest!,
        slos: [{ ...slo, sli: { events: { ...slo.sli.events, errorQuery: ESCAPE } } }],
      };
      return { services: [evil, victimService!], violations: [] };
    };

    it('the payload is real: spliced as text, it zeroes the victim’s errors on this Prometheus', async () => {
      const client = new PrometheusClient({ url: prometheus.url });
      const leaf = (expr: string, i: number) => `label_replace(sum(${expr}), "${TAG}", "${i}", "", "")`;
      const errors = `sum(rate(http_requests_total{service="fast-1h",code=~"5.."}[5m]))`;
      const spliced = `(${leaf(ESCAPE, 0)}) or (${leaf(errors, 2)})`;
      const samples = await client.query(spliced, new Date(END * 1000));
      expect(samples.find((s) => s.labels[TAG] === '2')?.value).toBe(0);
      const [honest] = await client.query(errors, new Date(END * 1000));
      expect(honest?.value).toBeGreaterThan(0);
    });

    it('the victim stays in fast-burn and denied; only the attacker’s SLO fails, closed', async () => {
      const client = new PrometheusClient({ url: prometheus.url });
      const evaluation = await evaluateFleet(catalog(), client, new Date(END * 1000));
      const byName = new Map(evaluation.services.map((s) => [s.service, s]));
      expect(byName.get('fast-1h')).toMatchObject({ severity: 'fast-burn', gate: { verdict: 'deny' } });
      expect(byName.get('aaa')).toMatchObject({ severity: 'no-data', gate: { verdict: 'deny' } });
      expect(new Set(evaluation.queryErrors.map((e) => e.service))).toEqual(new Set(['aaa']));
      expect(evaluation.queryErrors[0]!.message).toMatch(/not one PromQL expression/);
    });
  });
});

/** A proxy in front of the real Prometheus that rewrites every sample value to `value`. */
async function rewritingProxy(value: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const upstream = await fetch(prometheus.url + (req.url ?? '/'), {
          method: req.method ?? 'GET',
          headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        });
        const body = (await upstream.json()) as { data?: { result?: { value: [number, string] }[] } };
        for (const sample of body.data?.result ?? []) sample.value[1] = value;
        res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('sample values that are not Prometheus floats', () => {
  it.each(['', ' ', '0x10', '1_0', 'Infinity'])(
    '%j makes the SLO no-data and denied, with an error',
    async (value) => {
      const dir = await writeCatalog('honest', [serviceYaml(attacker)]);
      const proxy = await rewritingProxy(value);
      try {
        const run = await evaluate(dir, proxy.url);
        expect(run.code).toBe(1);
        const json = jsonOf<EvaluateJson>(run);
        expect(json.services[0]).toMatchObject({ severity: 'no-data', gate: { verdict: 'deny' } });
        expect(run.stderr).toContain(`sample value that is not a number: ${JSON.stringify(value)}`);
      } finally {
        proxy.server.close();
      }
    },
  );
});

describe('no traffic', () => {
  it('a service without traffic over its SLO window (0/0) is no-data and denied', async () => {
    const dir = await writeCatalog('silent', [serviceYaml(silent)]);
    const run = await evaluate(dir);
    expect(run.code).toBe(0);
    expect(jsonOf<EvaluateJson>(run).services[0]).toMatchObject({
      severity: 'no-data',
      gate: { verdict: 'deny' },
    });
  });
});
