// Enforcement modes and unconfirmed burns through the real gate: the `gate` binary (CLI) and the HTTP
// API, on a real Prometheus holding 31 days of backfilled history that ends now. Situations are
// evaluated at different past instants of that history (`--at`, or the API's clock) instead of waiting
// for a burn to unfold. Every answer is recorded in the audit stream gate; `report --gate` counts them
// and `audit verify` checks the chain. The AnalysisTemplate's own conditions judge every answer.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createApiDeps, type ApiDeps } from '../../src/api/deps';
import { buildApiServer } from '../../src/api/server';
import type { GateAnswer } from '../../src/operator/gate';
import type { GateReport } from '../../src/operator/gate-report';
import { startPrometheus, type PrometheusServer } from '../../src/servers/prometheus-server';
import { serviceYaml } from '../fixtures/fleet-scenarios';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { evaluateCondition, shippedGateTemplate } from '../support/argo';
import { jsonOf, runCli } from '../support/cli';
import { DAY, DEFAULT_HISTORY, renderOpenMetrics, type TrafficProfile } from '../support/history';

const NAMESPACE = uniqueId('safedeploy-gate-modes');
const MINUTE = 60;
/** The history ends at the last whole minute before the test started: real time, never the future. */
const END = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE - MINUTE;
const MODES = ['shadow', 'advise', 'enforce'] as const;
type Mode = (typeof MODES)[number];

const base = { rps: 10, errorFraction: 0.0001 };
/** A 20x burn (2 % errors on a 99.9 % SLO) that started 50 minutes before the end and never stopped. */
const CONFIRMS: TrafficProfile = {
  service: 'confirms',
  ...base,
  segments: [{ from: 50 * MINUTE, to: 0, errorFraction: 0.02 }],
};
/** The same burn for ten minutes, 90 to 80 minutes before the end, then healthy again. */
const FADES: TrafficProfile = {
  service: 'fades',
  ...base,
  segments: [{ from: 90 * MINUTE, to: 80 * MINUTE, errorFraction: 0.02 }],
};
const STEADY: TrafficProfile = { service: 'steady', ...base };

/** The instants each situation is evaluated at (unix seconds). */
const AT = {
  /** 6 minutes into the lasting burn: 5m at 20x, 1h at about 2x: unconfirmed. */
  confirmsEarly: END - 44 * MINUTE,
  /** 50 minutes in: 1h at about 17x, confirmed: a fast burn. */
  confirmsLate: END,
  /** 7 minutes into the short burn: unconfirmed. */
  fadesEarly: END - 83 * MINUTE,
  /** 80 minutes after it ended: every window below its factor. */
  fadesLate: END,
};

let workDir: string;
let dataDir: string;
let prometheus: PrometheusServer;
let client: Client;
const catalogs = {} as Record<Mode, string>;
const metric = shippedGateTemplate();

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-gate-modes-'));
  dataDir = path.join(workDir, 'data');
  client = await namespaceClient(NAMESPACE);
  prometheus = await startPrometheus({
    dataDir: path.join(workDir, 'prometheus'),
    backfill: renderOpenMetrics([STEADY, CONFIRMS, FADES], { ...DEFAULT_HISTORY, end: END }),
  });
  // One catalog per mode, set catalog-wide by a CatalogDefaults document; the services are the same.
  for (const mode of MODES) catalogs[mode] = await writeCatalog(mode);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await client?.connection.close();
  await rm(workDir, { recursive: true, force: true });
});

async function writeCatalog(mode: Mode): Promise<string> {
  const dir = path.join(workDir, `catalog-${mode}`);
  await mkdir(dir, { recursive: true });
  const services = [STEADY, CONFIRMS, FADES].map((profile) =>
    serviceYaml({
      profile,
      slos: [{ name: 'availability', objective: 99.9, severity: '' }],
      severity: '',
      verdict: 'allow',
    }),
  );
  await writeFile(path.join(dir, 'services.yaml'), services.join('---\n'));
  await writeFile(
    path.join(dir, 'defaults.yaml'),
    `apiVersion: safedeploy/v1\nkind: CatalogDefaults\nspec:\n  governance:\n    mode: ${mode}\n`,
  );
  return dir;
}

const env = () => ({
  TEMPORAL_ADDRESS: testTemporalAddress(),
  TEMPORAL_NAMESPACE: NAMESPACE,
  PROMETHEUS_URL: prometheus.url,
  SAFEDEPLOY_DATA_DIR: dataDir,
});

async function gateCli(
  mode: Mode,
  service: string,
  at: number,
): Promise<{ code: number | null; answer: GateAnswer }> {
  const run = await runCli(['gate', service, '--json', '--catalog', catalogs[mode], '--at', String(at)], {
    env: env(),
  });
  expect(run.stderr).toBe('');
  return { code: run.code, answer: jsonOf<GateAnswer>(run) };
}

/** What Argo Rollouts makes of a measurement: its successCondition and failureCondition, evaluated. */
function argo(answer: GateAnswer): 'successful' | 'failed' | 'inconclusive' {
  if (evaluateCondition(metric.successCondition, answer)) return 'successful';
  if (evaluateCondition(metric.failureCondition, answer)) return 'failed';
  return 'inconclusive';
}

/** Situation → [service, instant, what enforce would answer]. */
const SITUATIONS = {
  allow: ['steady', END, 'allow'],
  hold: ['confirms', AT.confirmsEarly, 'hold'],
  deny: ['confirms', AT.confirmsLate, 'deny'],
} as const;

/** Mode × would-be → [answer, exit code, Argo measurement]. */
const EXPECTED: Record<Mode, Record<'allow' | 'hold' | 'deny', [string, number, string]>> = {
  shadow: {
    allow: ['allow', 0, 'successful'],
    hold: ['allow', 0, 'successful'],
    deny: ['allow', 0, 'successful'],
  },
  advise: {
    allow: ['allow', 0, 'successful'],
    hold: ['hold', 4, 'inconclusive'],
    deny: ['hold', 4, 'inconclusive'],
  },
  enforce: {
    allow: ['allow', 0, 'successful'],
    hold: ['hold', 4, 'inconclusive'],
    deny: ['deny', 1, 'failed'],
  },
};

const CASES = MODES.flatMap((mode) =>
  (['allow', 'hold', 'deny'] as const).map((situation) => [mode, situation] as const),
);

describe('the gate CLI in each mode', () => {
  it.each(CASES)(
    '%s: a would-be %s',
    async (mode, situation) => {
      const [service, at, wouldBe] = SITUATIONS[situation];
      const { code, answer } = await gateCli(mode, service, at);
      const [verdict, exit, measurement] = EXPECTED[mode][situation];
      expect({
        mode: answer.mode,
        wouldBe: answer.wouldBe,
        verdict: answer.verdict,
        code,
        argo: argo(answer),
      }).toEqual({
        mode,
        wouldBe,
        verdict,
        code: exit,
        argo: measurement,
      });
    },
    30_000,
  );

  it('says the mode and what enforce would do in its text answer', async () => {
    const run = await runCli(
      ['gate', 'confirms', '--catalog', catalogs.shadow, '--at', String(AT.confirmsLate), '--no-record'],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^confirms: allow \(shadow, would deny\)\n {2}\[fast-burn\] /);
  }, 30_000);
});

describe('unconfirmed burns hold promotions until they confirm or fade', () => {
  const codesAt = async (service: string, at: number) => {
    const { answer } = await gateCli('enforce', service, at);
    return [answer.verdict, answer.reasons.map((r) => r.code)];
  };

  it('a spike that confirms: hold (burning-unconfirmed), then deny (fast-burn)', async () => {
    expect(await codesAt('confirms', AT.confirmsEarly)).toEqual(['hold', ['burning-unconfirmed']]);
    expect(await codesAt('confirms', AT.confirmsLate)).toEqual(['deny', ['fast-burn']]);
  }, 30_000);

  it('a spike that fades: hold (burning-unconfirmed), then allow', async () => {
    expect(await codesAt('fades', AT.fadesEarly)).toEqual(['hold', ['burning-unconfirmed']]);
    expect(await codesAt('fades', AT.fadesLate)).toEqual(['allow', []]);
  }, 30_000);

  it('the hold names the window pair and both burn rates', async () => {
    const { answer } = await gateCli('enforce', 'confirms', AT.confirmsEarly);
    const burn = answer.reasons[0]!.burn!;
    expect(burn).toMatchObject({ severity: 'fast-burn', short: '5m', long: '1h', factor: 14.4 });
    expect(burn.shortBurnRate).toBeCloseTo(20, 0);
    expect(burn.longBurnRate).toBeGreaterThan(1);
    expect(burn.longBurnRate).toBeLessThan(3);
    expect(answer.reasons[0]!.message).toMatch(
      /5m 20\.\dx exceeds 14\.4x while 1h is \d\.\dx \(fast-burn pair 5m\/1h\)/,
    );
  }, 30_000);

  it('evaluate --json shows both decisions: no incident yet (severity normal), and the gate holding', async () => {
    const run = await runCli(
      ['evaluate', '--json', '--catalog', catalogs.advise, '--at', String(AT.confirmsEarly)],
      { env: env() },
    );
    const services = jsonOf<{ services: { service: string; severity: string; gate: GateAnswer }[] }>(
      run,
    ).services;
    const confirms = services.find((s) => s.service === 'confirms')!;
    expect({
      severity: confirms.severity,
      verdict: confirms.gate.verdict,
      wouldBe: confirms.gate.wouldBe,
      mode: confirms.gate.mode,
    }).toEqual({
      severity: 'normal',
      verdict: 'hold',
      wouldBe: 'hold',
      mode: 'advise',
    });
    expect(confirms.gate.reasons.map((r) => r.code)).toEqual(['burning-unconfirmed']);
  }, 30_000);
});

describe('the HTTP gate in each mode, and a 30-day replay', () => {
  const servers: { deps: ApiDeps; url: string; close: () => Promise<void> }[] = [];
  const api = {} as Record<Mode, { deps: ApiDeps; url: string }>;

  beforeAll(async () => {
    for (const mode of MODES) {
      const deps = await createApiDeps({
        catalogDir: catalogs[mode],
        prometheusUrl: prometheus.url,
        temporal: { address: testTemporalAddress(), namespace: NAMESPACE },
        timeoutMs: 5_000,
        dataDir,
      });
      const app = buildApiServer(deps, { logger: false });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      api[mode] = { deps, url };
      servers.push({ deps, url, close: () => app.close() });
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  /** The API answers for its clock's instant: set to a past instant of the history, as a replay. */
  async function gateHttp(mode: Mode, service: string, at: number): Promise<GateAnswer> {
    api[mode].deps.now = () => new Date(at * 1000);
    const response = await fetch(`${api[mode].url}/v1/gate?service=${service}&revision=r1`);
    expect(response.status).toBe(200);
    return (await response.json()) as GateAnswer;
  }

  it.each(CASES)(
    '%s: a would-be %s',
    async (mode, situation) => {
      const [service, at, wouldBe] = SITUATIONS[situation];
      const answer = await gateHttp(mode, service, at);
      const [verdict, , measurement] = EXPECTED[mode][situation];
      expect({
        mode: answer.mode,
        wouldBe: answer.wouldBe,
        verdict: answer.verdict,
        argo: argo(answer),
      }).toEqual({
        mode,
        wouldBe,
        verdict,
        argo: measurement,
      });
    },
    30_000,
  );

  it('replays 30 days of shadow, records every answer, and report --gate counts them', async () => {
    // Every day of the last 30 at this hour, the steady service; plus both spikes, early and late.
    for (let day = 29; day >= 1; day--) await gateHttp('shadow', 'steady', END - day * DAY);
    for (const [service, at] of [
      ['confirms', AT.confirmsEarly],
      ['confirms', AT.confirmsLate],
      ['fades', AT.fadesEarly],
      ['fades', AT.fadesLate],
    ] as const)
      await gateHttp('shadow', service, at);
    // Closing flushes the buffered records; the servers are closed once more in afterAll (a no-op).
    for (const s of servers) await s.close();

    const run = await runCli(['report', '--gate', '--since', '30d', '--json', '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    const report = jsonOf<GateReport>(run);
    const shadow = (service: string) =>
      report.services.find((s) => s.service === service)!.modes.find((m) => m.mode === 'shadow')!;
    // CLI answers above: steady once (allow), confirms twice (hold, deny) in shadow; HTTP: the same,
    // plus the replay: steady 29 times, confirms twice, fades twice.
    expect(shadow('steady')).toMatchObject({
      answers: 31,
      answered: { allow: 31, hold: 0, deny: 0 },
      wouldBe: { allow: 31, hold: 0, deny: 0 },
    });
    expect(shadow('confirms')).toMatchObject({
      answers: 6,
      answered: { allow: 6, hold: 0, deny: 0 },
      wouldBe: { allow: 0, hold: 3, deny: 3 },
      reasons: [
        { code: 'burning-unconfirmed', count: 3 },
        { code: 'fast-burn', count: 3 },
      ],
    });
    expect(shadow('fades')).toMatchObject({
      answers: 2,
      answered: { allow: 2, hold: 0, deny: 0 },
      wouldBe: { allow: 1, hold: 1, deny: 0 },
      reasons: [{ code: 'burning-unconfirmed', count: 1 }],
    });
    const enforce = report.services
      .find((s) => s.service === 'confirms')!
      .modes.find((m) => m.mode === 'enforce')!;
    // CLI: the mode case (2), the spike-that-confirms case (2) and the burn-detail case (1); HTTP: 2.
    expect(enforce).toMatchObject({
      answered: { allow: 0, hold: 4, deny: 3 },
      wouldBe: { allow: 0, hold: 4, deny: 3 },
    });

    const markdown = await runCli(['report', '--gate', '--markdown', '--data-dir', dataDir]);
    expect(markdown.stdout).toMatch(
      /\n\| confirms \| shadow \| 6 \| 6 \| 0 \| 0 \| 0 \| 3 \| 3 \| burning-unconfirmed ×3, fast-burn ×3 \|\n/,
    );

    const verify = await runCli(['audit', 'verify', '--json', '--data-dir', dataDir]);
    expect(verify.code).toBe(0);
    const streams = jsonOf<{ streams: { stream: string; lines: number; intact: boolean }[] }>(verify).streams;
    expect(streams.find((s) => s.stream === 'gate')).toMatchObject({ intact: true, lines: report.answers });
  }, 120_000);

  it('reports gate records dropped and pending in /metrics', async () => {
    const deps = await createApiDeps({
      catalogDir: catalogs.enforce,
      prometheusUrl: prometheus.url,
      temporal: { address: testTemporalAddress(), namespace: NAMESPACE },
      timeoutMs: 5_000,
      dataDir,
    });
    const app = buildApiServer(deps, { logger: false });
    try {
      const response = await app.inject({ url: '/metrics' });
      expect(response.body).toContain('safedeploy_gate_records_dropped_total 0\n');
      expect(response.body).toContain('safedeploy_gate_records_pending 0\n');
    } finally {
      await app.close();
    }
  });

  it('rejects a bad mode in the catalog with file and field (exit 2)', async () => {
    const dir = path.join(workDir, 'catalog-bad');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'defaults.yaml'),
      'apiVersion: safedeploy/v1\nkind: CatalogDefaults\nspec:\n  governance:\n    mode: audit\n',
    );
    await writeFile(
      path.join(dir, 'steady.yaml'),
      serviceYaml({
        profile: STEADY,
        slos: [{ name: 'availability', objective: 99.9, severity: '' }],
        severity: '',
        verdict: 'allow',
      }),
    );
    const run = await runCli(['gate', 'steady', '--catalog', dir], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'defaults.yaml (document 1): spec.governance.mode: must be one of "shadow", "advise", "enforce"',
    );
  }, 30_000);
});
