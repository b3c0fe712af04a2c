// `rules generate` end to end: the shipped example rule file is what the command generates and passes
// `promtool check rules` and the shipped `promtool test rules` file; and SafeDeploy reads the recorded
// series back. One real Prometheus holds an 4.5-day history (4-day SLOs keep it small); the rules are
// backfilled over it the documented way, and both sources are evaluated against the same instant.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApiDeps } from '../../src/api/deps';
import { buildApiServer } from '../../src/api/server';
import { loadCatalog } from '../../src/catalog/loader';
import { evaluateFleet, type FleetEvaluation } from '../../src/evaluation/evaluate-fleet';
import { PrometheusClient } from '../../src/prometheus/client';
import { runCommand } from '../../src/process/exec';
import { ensurePrometheus } from '../../src/tools/prometheus-bin';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { jsonOf, runCli } from '../support/cli';
import { DAY, HOUR, renderOpenMetrics, type TrafficProfile } from '../support/history';
import { backfillRules, RestartablePrometheus } from '../support/rules-backfill';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
/**
 * The stated tolerance between the two sources. Recorded ratios are up to one rule evaluation old at
 * the instant asked, so burn rates may differ by 2 % of their value; the SLO-window ratio averages the
 * 5m ratio over time where the raw query weights by traffic, so budgets remaining may differ by 0.03
 * (3 % of the budget) on these histories (constant traffic, a 6-hour error burst).
 */
const BURN_RATE_TOLERANCE = 0.02;
const REMAINING_TOLERANCE = 0.03;

function service(name: string): string {
  return `apiVersion: safedeploy/v1
kind: Service
metadata: { name: ${name} }
spec:
  owner: { team: t }
  approvers: [alice]
  slos:
    - name: availability
      objective: 99.9
      window: 4d
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{service="${name}",code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_requests_total{service="${name}"}[{{.window}}]))
`;
}

/** `safedeploy rules generate --catalog examples/catalog …flags`. */
const generateForExamples = (...flags: string[]) =>
  runCli(['rules', 'generate', '--catalog', path.join(EXAMPLES, 'catalog'), ...flags]);

/** A catalog directory holding these services (in one services.yaml). */
const writeCatalog = (dir: string, names: string[]) =>
  writeFile(path.join(dir, 'services.yaml'), names.map(service).join('---\n'));

describe('the shipped example rules', () => {
  it('are what `rules generate --alerts` writes for the example catalog', async () => {
    const result = await generateForExamples('--alerts');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await readFile(path.join(EXAMPLES, 'rules', 'safedeploy-rules.yaml'), 'utf8'));
  });

  it('pass promtool check rules and the shipped promtool unit tests', async () => {
    const { promtool } = await ensurePrometheus();
    const check = await runCommand(promtool, [
      'check',
      'rules',
      path.join(EXAMPLES, 'rules', 'safedeploy-rules.yaml'),
    ]);
    expect(check.stdout).toContain('SUCCESS: 48 rules found');
    const test = await runCommand(promtool, [
      'test',
      'rules',
      path.join(EXAMPLES, 'rules', 'safedeploy-rules.test.yaml'),
    ]);
    expect(test.stdout).toContain('SUCCESS');
  });
});

describe('rules generate, as a command', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-rules-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses an unknown --part with a usage error, writing nothing', async () => {
    const out = path.join(dir, 'rules.yaml');
    const result = await generateForExamples('--part', 'all-of-it', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'safedeploy: invalid --part "all-of-it": expected one of all, short, period\n',
    );
    await expect(readFile(out)).rejects.toThrow();
  });

  it('writes --out atomically and summarises it with --json', async () => {
    const out = path.join(dir, 'rules.yaml');
    const result = await generateForExamples('--out', out, '--json');
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toEqual({ out, groups: 8, recording: 32, alerting: 0 });
    expect(await readFile(out, 'utf8')).toContain('record: slo:sli_error:ratio_rate28d');
  });
});

describe('reading recorded series', () => {
  const end = Math.floor(Date.now() / 1000 / 600) * 600 - 600;
  const profiles: TrafficProfile[] = [
    { service: 'steady', rps: 10, errorFraction: 0.00001 },
    {
      service: 'burning',
      rps: 10,
      errorFraction: 0.00001,
      segments: [{ from: 6 * HOUR, to: 0, errorFraction: 0.01 }],
    },
    { service: 'unruled', rps: 10, errorFraction: 0.00001 },
  ];
  let dir: string;
  let prometheus: RestartablePrometheus;
  let catalogDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-recorded-'));
    const ruled = path.join(dir, 'ruled');
    catalogDir = path.join(dir, 'catalog');
    await mkdir(ruled);
    await mkdir(catalogDir);
    await writeCatalog(ruled, ['steady', 'burning']);
    await writeCatalog(catalogDir, ['steady', 'burning', 'unruled']);
    prometheus = new RestartablePrometheus(path.join(dir, 'prometheus'));
    await prometheus.start(
      renderOpenMetrics(profiles, {
        end,
        length: 4.5 * DAY,
        recentStep: 60,
        recentSpan: 4.5 * DAY,
        oldStep: 60,
      }),
    );
    // Every 4 minutes: an instant query finds a recorded sample within Prometheus' 5-minute lookback.
    // The rules' own catalog lacks `unruled`: its SLO has no recorded series and must fall back to raw.
    await backfillRules(prometheus, {
      catalogDir: ruled,
      start: end - 4.5 * DAY,
      end: end + 60,
      evalInterval: '4m',
    });
  }, 240_000);

  afterAll(async () => {
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function evaluate(
    source: 'auto' | 'raw',
  ): Promise<{ evaluation: FleetEvaluation; requests: number }> {
    const client = new PrometheusClient({ url: prometheus.url });
    const evaluation = await evaluateFleet(await loadCatalog(catalogDir), client, new Date(end * 1000), {
      source,
    });
    return { evaluation, requests: client.requestCount };
  }

  it('reads every window of a recorded SLO from its recorded series, and the rest from raw queries', async () => {
    const { evaluation } = await evaluate('auto');
    const sources = Object.fromEntries(evaluation.services.map((s) => [s.service, s.slos[0]!.source]));
    expect(sources).toEqual({ steady: 'recorded', burning: 'recorded', unruled: 'raw' });
  });

  it('agrees with the raw queries: same severities and verdicts, equal burn rates, budgets within the tolerance', async () => {
    const recorded = (await evaluate('auto')).evaluation;
    const raw = (await evaluate('raw')).evaluation;
    expect(recorded.services.map((s) => [s.service, s.severity, s.gate.verdict])).toEqual(
      raw.services.map((s) => [s.service, s.severity, s.gate.verdict]),
    );
    expect(raw.services.map((s) => s.severity)).toEqual(['normal', 'fast-burn', 'normal']);
    recorded.services.forEach((service, i) => {
      const a = service.slos[0]!;
      const b = raw.services[i]!.slos[0]!;
      for (const [window, rate] of Object.entries(b.burnRates))
        expect(Math.abs(a.burnRates[window as '5m']! - rate!)).toBeLessThanOrEqual(
          BURN_RATE_TOLERANCE * rate! + 1e-9,
        );
      expect(Math.abs(a.errorBudget.remaining! - b.errorBudget.remaining!)).toBeLessThanOrEqual(
        REMAINING_TOLERANCE,
      );
    });
  });

  it('asks one request per window when every SLO is recorded', async () => {
    await writeCatalog(catalogDir, ['steady', 'burning']);
    try {
      const { evaluation, requests } = await evaluate('auto');
      expect(evaluation.services.every((s) => s.slos[0]!.source === 'recorded')).toBe(true);
      expect(requests).toBe(8);
    } finally {
      await writeCatalog(catalogDir, ['steady', 'burning', 'unruled']);
    }
  });

  it('falls back to raw for an SLO whose queries changed since the rules were generated', async () => {
    const changed = path.join(dir, 'changed');
    await mkdir(changed, { recursive: true });
    await writeFile(
      path.join(changed, 'services.yaml'),
      service('steady').replace('code=~"5.."', 'code=~"5..|429"'),
    );
    const client = new PrometheusClient({ url: prometheus.url });
    const evaluation = await evaluateFleet(await loadCatalog(changed), client, new Date(end * 1000));
    expect(evaluation.services[0]!.slos[0]!.source).toBe('raw');
  });

  it('says the source of every SLO in `evaluate --json`', async () => {
    const result = await runCli([
      'evaluate',
      '--catalog',
      catalogDir,
      '--prometheus',
      prometheus.url,
      '--at',
      String(end),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const json = jsonOf<{ services: { service: string; slos: { source: string }[] }[] }>(result);
    expect(json.services.map((s) => `${s.service}:${s.slos[0]!.source}`)).toEqual([
      'steady:recorded',
      'burning:recorded',
      'unruled:raw',
    ]);
  });

  it('answers the HTTP gate from the recorded series too, and from raw queries for the rest', async () => {
    const namespace = uniqueId('safedeploy-recorded-gate');
    const client = await namespaceClient(namespace);
    // The API's clock stands at the end of the backfilled history, where its data stops.
    const deps = await createApiDeps({
      catalogDir,
      prometheusUrl: prometheus.url,
      temporal: { address: testTemporalAddress(), namespace },
      timeoutMs: 3_000,
      now: () => new Date(end * 1000),
    });
    const app = buildApiServer(deps, { logger: false });
    try {
      const answered = async (service: string) => {
        const answer = (await app.inject({ url: `/v1/gate?service=${service}` })).json<{
          severity: string;
          slos: { source: string }[];
        }>();
        return `${answer.severity}:${answer.slos[0]!.source}`;
      };
      expect([await answered('steady'), await answered('burning'), await answered('unruled')]).toEqual([
        'normal:recorded',
        'fast-burn:recorded',
        'normal:raw',
      ]);
    } finally {
      await app.close();
      await client.connection.close();
    }
  });
});
