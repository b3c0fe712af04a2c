// `safedeploy evaluate` through the real binary against a real Prometheus holding 31-day backfilled
// histories: every situation the SLO engine must tell apart, and every bad input it must refuse.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/process/ports';
import { startPrometheus } from '../../src/servers/prometheus-server';
import type { SloAssessment } from '../../src/slo/assess';
import { ALERT_WINDOWS, durationSeconds } from '../../src/slo/windows';
import { END, SCENARIOS, serviceYaml, type ServiceScenario } from '../fixtures/fleet-scenarios';
import { jsonOf, runCli } from '../support/cli';
import { DEFAULT_HISTORY, expectedRatio, renderOpenMetrics } from '../support/history';

interface EvaluateJson {
  evaluatedAt: string;
  services: {
    service: string;
    severity: string;
    gate: { verdict: string; reasons: { code: string; message: string }[] };
    slos: SloAssessment[];
  }[];
  queryErrors?: { service: string; slo: string; window: string; message: string }[];
}

let workDir: string;
let prometheus: { url: string; stop(): Promise<void> };
let catalogDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-evaluate-'));
  const present = SCENARIOS.filter((s) => !s.absent).map((s) => s.profile);
  prometheus = await startPrometheus({
    dataDir: path.join(workDir, 'prometheus'),
    backfill: renderOpenMetrics(present, { ...DEFAULT_HISTORY, end: END }),
  });
  catalogDir = await writeCatalog(
    'catalog',
    SCENARIOS.map((s) => serviceYaml(s)),
  );
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function writeCatalog(name: string, documents: string[], file = 'services.yaml'): Promise<string> {
  const dir = path.join(workDir, name);
  await rm(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  await writeFile(path.join(dir, file), documents.join('---\n'));
  return dir;
}

const evaluate = (catalog: string, ...extra: string[]) =>
  runCli(['evaluate', '--catalog', catalog, '--prometheus', prometheus.url, '--at', String(END), ...extra]);

function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    if (actual !== null) throw new Error(`${what}: expected null (no traffic), got ${actual}`);
    return;
  }
  if (actual === null) throw new Error(`${what}: expected ${expected}, got null`);
  const tolerance = Math.max(Math.abs(expected) * 0.01, 1e-6);
  if (Math.abs(actual - expected) > tolerance)
    throw new Error(`${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

describe('safedeploy evaluate on a real Prometheus', () => {
  let result: EvaluateJson;

  beforeAll(async () => {
    const run = await evaluate(catalogDir, '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    result = jsonOf<EvaluateJson>(run);
  });

  it('evaluates at the requested instant', () => {
    expect(result.evaluatedAt).toBe(new Date(END * 1000).toISOString());
    expect(result.services.map((s) => s.service)).toEqual(SCENARIOS.map((s) => s.profile.service));
  });

  it.each(SCENARIOS.map((s) => [s.profile.service, s] as const))(
    'classifies %s',
    (_name, scenario: ServiceScenario) => {
      const service = result.services.find((s) => s.service === scenario.profile.service)!;
      expect({ severity: service.severity, verdict: service.gate.verdict }).toEqual({
        severity: scenario.severity,
        verdict: scenario.verdict,
      });
      expect(service.slos.map((s) => [s.name, s.severity])).toEqual(
        scenario.slos.map((s) => [s.name, s.severity]),
      );
      if (scenario.verdict !== 'allow') expect(service.gate.reasons.length).toBeGreaterThan(0);
    },
  );

  it.each(SCENARIOS.filter((s) => !s.absent).map((s) => [s.profile.service, s] as const))(
    'reports %s burn rates and budget matching the history to 1 %%',
    (_name, scenario: ServiceScenario) => {
      const service = result.services.find((s) => s.service === scenario.profile.service)!;
      for (const slo of service.slos) {
        const objective = scenario.slos.find((s) => s.name === slo.name)!.objective;
        const budget = 1 - objective / 100;
        const kind = slo.name === 'latency' ? 'slow' : 'errors';
        for (const w of ALERT_WINDOWS) {
          const ratio = expectedRatio(scenario.profile, durationSeconds(w), kind);
          expectClose(slo.errorRatios[w] ?? null, ratio, `${slo.name} error ratio ${w}`);
          expectClose(slo.burnRates[w], ratio === null ? null : ratio / budget, `${slo.name} burn rate ${w}`);
        }
        const monthly = expectedRatio(scenario.profile, durationSeconds('30d'), kind)!;
        expectClose(slo.errorBudget.remaining, 1 - monthly / budget, `${slo.name} budget remaining`);
      }
    },
  );

  it('keeps a hot 6h window visible after an outage ended hours ago', () => {
    const slo = result.services.find((s) => s.service === 'outage-ended')!.slos[0]!;
    expect(slo.burnRates['6h']).toBeGreaterThan(6);
    expect(slo.burnRates['30m']).toBeLessThan(1);
  });

  it('reads zero recent traffic (0/0) as no burn rate, and judges the service on its SLO window', () => {
    const slo = result.services.find((s) => s.service === 'quiet')!.slos[0]!;
    expect(slo.burnRates['5m']).toBeNull();
    expect(slo.errorRatios['1h']).toBeNull();
    expect(slo.errorRatios['30d']).toBeGreaterThan(0);
  });

  it('reports a service without series as null everywhere, never 0', () => {
    const slo = result.services.find((s) => s.service === 'ghost')!.slos[0]!;
    expect(Object.values(slo.burnRates).every((v) => v === null)).toBe(true);
    expect(Object.values(slo.errorRatios).every((v) => v === null)).toBe(true);
    expect(slo.errorBudget.remaining).toBeNull();
  });

  it('prints a readable table without --json', async () => {
    const run = await evaluate(catalogDir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SERVICE\s+SLO\s+OBJECTIVE\s+SEVERITY/);
    expect(run.stdout).toMatch(/fast-1h\s+availability\s+99.9% \/ 30d\s+fast-burn/);
    expect(run.stdout).toContain('[no-data]');
  });
});

describe('safedeploy evaluate refuses bad input', () => {
  const healthy = SCENARIOS[0]!;
  const good = serviceYaml(healthy);

  async function expectRefused(documents: string[], pattern: RegExp, extra: string[] = []): Promise<void> {
    const dir = await writeCatalog('bad', documents);
    const before = await readdir(workDir, { recursive: true });
    const run = await evaluate(dir, '--json', ...extra);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /); // one clear message, no stack trace
    expect(await readdir(workDir, { recursive: true })).toEqual(before);
  }

  it('names the file and line of malformed YAML', () =>
    expectRefused(
      [good.replace('  approvers: [alice, bob]', '  approvers: [alice, bob')],
      /services\.yaml.*(line|:\d+)/i,
    ));
  it('rejects an unknown field by its path', () =>
    expectRefused([good.replace('objective: 99.9', 'objectve: 99.9')], /spec\.slos\[0\].*objectve/));
  it.each(['0', '100', '100.5', '-1'])('rejects objective %s', (objective) =>
    expectRefused([good.replace('objective: 99.9', `objective: ${objective}`)], /spec\.slos\[0\]\.objective/),
  );
  it('rejects a query without {{.window}}', () =>
    expectRefused(
      [good.replace("[{{.window}}]))'\n          totalQuery", "[5m]))'\n          totalQuery")],
      /errorQuery.*\{\{\.window\}\}/,
    ));
  it('rejects a duplicate service name', () => expectRefused([good, good], /duplicate.*healthy/i));
  it('rejects a malformed --at', async () => {
    const run = await runCli([
      'evaluate',
      '--catalog',
      catalogDir,
      '--prometheus',
      prometheus.url,
      '--at',
      'yesterday',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid --at "yesterday"/);
  });

  it('refuses a query that is not one PromQL expression before asking Prometheus', () =>
    expectRefused(
      [
        serviceYaml(healthy, {
          error: 'sum(rate(http_requests_total{service="healthy",code=~"5.."}[{{.window}}]',
          total: 'sum(rate(http_requests_total{service="healthy"}[{{.window}}]))',
        }),
      ],
      /services\.yaml \(document 1\): spec\.slos\[0\]\.sli\.events\.errorQuery: is not a complete PromQL expression/,
    ));

  it('reports a PromQL error Prometheus finds for that SLO and still evaluates the rest', async () => {
    // Well-formed, but Prometheus refuses to aggregate a range vector: a type error only it can see.
    const broken = serviceYaml(
      { ...healthy, profile: { ...healthy.profile, service: 'broken' } },
      {
        error: 'sum(http_requests_total{service="healthy",code=~"5.."}[{{.window}}])',
        total: 'sum(rate(http_requests_total{service="healthy"}[{{.window}}]))',
      },
    );
    const dir = await writeCatalog('promql', [good, broken]);
    const run = await evaluate(dir, '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\/availability .*parse error/);
    const json = jsonOf<EvaluateJson>(run);
    expect(json.services.find((s) => s.service === 'healthy')!.severity).toBe('normal');
    const broken_ = json.services.find((s) => s.service === 'broken')!;
    expect(broken_.severity).toBe('no-data');
    expect(broken_.gate.verdict).toBe('deny');
    expect(json.queryErrors!.every((e) => e.service === 'broken')).toBe(true);
  });

  it('fails with exit 3 when Prometheus is unreachable', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli([
      'evaluate',
      '--catalog',
      catalogDir,
      '--prometheus',
      closed,
      '--at',
      String(END),
      '--timeout',
      '2s',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`Prometheus at ${closed} is unavailable: ECONNREFUSED after 3 attempts`);
    expect(run.stdout).toBe('');
  });
});
