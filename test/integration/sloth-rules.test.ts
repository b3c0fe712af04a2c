// Validation against Sloth itself: a Sloth spec for the fleet's services is imported with
// `safedeploy catalog import --from sloth`, and for the same backfilled data the error ratios that
// `safedeploy evaluate` reports equal those of the recording rules Sloth generates from the same spec
// (its `slo:sli_error:ratio_rate<window>` rules, each evaluated at the evaluation instant, which is what
// Prometheus records there). Sloth's 30d ratio is a mean of its 5m ratios, not a traffic-weighted ratio,
// so it is compared only where traffic is constant (docs/BACKENDS.md).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { PrometheusClient } from '../../src/prometheus/client';
import { ALERT_WINDOWS } from '../../src/slo/windows';
import { runCommand } from '../../src/process/exec';
import { startPrometheus, type PrometheusServer } from '../../src/servers/prometheus-server';
import { ensureSloth } from '../../src/tools/sloth-bin';
import { END, SCENARIOS } from '../fixtures/fleet-scenarios';
import { jsonOf, runCli } from '../support/cli';
import { DEFAULT_HISTORY, renderOpenMetrics } from '../support/history';

interface Rule {
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

const SERVICES = ['healthy', 'fast-1h', 'slow-1d', 'outage-ended', 'quiet', 'checkout'];
const scenarios = SCENARIOS.filter((s) => SERVICES.includes(s.profile.service));

/** One Sloth prometheus/v1 spec per service, with the fleet's queries and an alerting block. */
function slothSpec(service: string, latency: boolean): object {
  const total = `sum(rate(http_requests_total{service="${service}"}[{{.window}}]))`;
  const slos: object[] = [
    {
      name: 'availability',
      objective: 99.9,
      sli: {
        events: {
          error_query: `sum(rate(http_requests_total{service="${service}",code=~"5.."}[{{.window}}]))`,
          total_query: total,
        },
      },
      alerting: { name: `${service}Availability`, page_alert: { labels: { severity: 'page' } } },
    },
  ];
  if (latency) {
    const count = `sum(rate(http_request_duration_seconds_count{service="${service}"}[{{.window}}]))`;
    slos.push({
      name: 'latency',
      objective: 99,
      sli: {
        events: {
          error_query: `${count} - sum(rate(http_request_duration_seconds_bucket{service="${service}",le="0.3"}[{{.window}}]))`,
          total_query: count,
        },
      },
      alerting: { page_alert: { disable: true }, ticket_alert: { disable: true } },
    });
  }
  return { version: 'prometheus/v1', service, labels: { owner: 'sre' }, slos };
}

let workDir: string;
let prometheus: PrometheusServer;
let rules: Rule[];
let evaluated: {
  services: { service: string; slos: { name: string; errorRatios: Record<string, number | null> }[] }[];
};

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-sloth-'));
  const sloth = await ensureSloth();
  const specDir = path.join(workDir, 'sloth');
  await import('node:fs/promises').then((fs) => fs.mkdir(specDir));
  for (const s of scenarios)
    await writeFile(
      path.join(specDir, `${s.profile.service}.yaml`),
      stringify(slothSpec(s.profile.service, s.slos.length > 1)),
    );
  // Sloth's own rules, from the same files the import reads.
  rules = [];
  for (const s of scenarios) {
    const out = path.join(workDir, `${s.profile.service}.rules.yaml`);
    await runCommand(sloth, ['generate', '-i', path.join(specDir, `${s.profile.service}.yaml`), '-o', out]);
    const groups = (parse(await readFile(out, 'utf8')) as { groups: { rules: Rule[] }[] }).groups;
    rules.push(...groups.flatMap((g) => g.rules));
  }
  prometheus = await startPrometheus({
    dataDir: path.join(workDir, 'prometheus'),
    backfill: renderOpenMetrics(
      scenarios.map((s) => s.profile),
      { ...DEFAULT_HISTORY, end: END },
    ),
  });
  const catalog = path.join(workDir, 'catalog');
  const imported = await runCli([
    'catalog',
    'import',
    '--from',
    'sloth',
    specDir,
    '--out',
    catalog,
    '--json',
  ]);
  // Alerting was dropped (exit 1); the SLOs themselves all converted.
  expect(imported.code).toBe(1);
  expect(jsonOf<{ slos: number }>(imported).slos).toBe(scenarios.reduce((n, s) => n + s.slos.length, 0));
  const run = await runCli([
    'evaluate',
    '--catalog',
    catalog,
    '--prometheus',
    prometheus.url,
    '--at',
    String(END),
    '--json',
  ]);
  expect(run.stderr).toBe('');
  evaluated = jsonOf(run);
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function slothRatio(
  client: PrometheusClient,
  service: string,
  slo: string,
  window: string,
): Promise<number | null> {
  const rule = rules.find(
    (r) =>
      r.record === `slo:sli_error:ratio_rate${window}` &&
      r.labels?.sloth_service === service &&
      r.labels.sloth_slo === slo,
  );
  if (!rule) throw new Error(`Sloth generated no ${window} rule for ${service}/${slo}`);
  return client.query(rule.expr, new Date(END * 1000)).then((samples) => samples[0]?.value ?? null);
}

describe("an imported Sloth spec measures what Sloth's recording rules record", () => {
  const cases = scenarios.flatMap((s) => s.slos.map((slo) => [s.profile.service, slo.name] as const));

  it.each(cases)('%s/%s: every alert window', async (service, slo) => {
    const client = new PrometheusClient({ url: prometheus.url });
    const ours = evaluated.services
      .find((s) => s.service === service)!
      .slos.find((s) => s.name === `${slo}`)!;
    for (const window of ALERT_WINDOWS) {
      const theirs = await slothRatio(client, service, slo, window);
      const mine = ours.errorRatios[window] ?? null;
      // A window without traffic is 0/0: NaN (no sample) in Sloth's rule, no data (null) in SafeDeploy.
      if (theirs === null) expect(mine).toBeNull();
      else expect(mine).toBeCloseTo(theirs, 12);
    }
  });
});
