// `safedeploy gate` and `safedeploy report` through the real binary: SLIs from an exporter the test
// controls, scraped by a real Prometheus; freeze and incident state from the dev server. The gate's
// JSON is judged by the conditions of the example Argo Rollouts AnalysisTemplate, as Argo would.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { GateAnswer } from '../../src/operator/gate';
import type { FleetReport } from '../../src/operator/report';
import { freePort } from '../../src/process/ports';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import { jsonOf, runCli, type CliResult } from '../support/cli';
import { evaluateCondition, shippedGateTemplate } from '../support/argo';
import { buildWorld, stopLoop, startWorker, type ControlLoopWorld } from '../support/control-loop';

const NAMESPACE = uniqueId('safedeploy-cli-gate');

let world: ControlLoopWorld;
let client: Client;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }, { name: 'payments' }]);
  client = await namespaceClient(NAMESPACE);
  env = {
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_NAMESPACE: NAMESPACE,
    SAFEDEPLOY_CATALOG: world.catalogDir,
    PROMETHEUS_URL: world.prometheus.url,
    SAFEDEPLOY_DATA_DIR: world.dataDir,
  };
}, 120_000);

afterAll(async () => {
  await stopLoop({ client, worker, running, world });
});

const cli = (...args: string[]) => runCli(args, { env });

const metric = shippedGateTemplate();
const argoCondition = evaluateCondition;

/** Runs the gate until Prometheus has scraped the exporter's new values and the verdict is `verdict`. */
async function gateUntil(
  verdict: GateAnswer['verdict'],
  ...extra: string[]
): Promise<{ run: CliResult; answer: GateAnswer }> {
  return waitFor(
    async () => {
      const run = await cli('gate', 'checkout', '--json', ...extra);
      const answer = jsonOf<GateAnswer>(run);
      return answer.verdict === verdict ? { run, answer } : undefined;
    },
    30_000,
    `gate verdict ${verdict}`,
  );
}

describe('safedeploy gate', () => {
  it('allows a healthy service with exit 0, and Argo counts the measurement a success', async () => {
    const { run, answer } = await gateUntil('allow', '--revision', 'abc123');
    expect(run.code).toBe(0);
    expect(answer).toMatchObject({
      service: 'checkout',
      revision: 'abc123',
      reasons: [],
      severity: 'normal',
    });
    expect([
      argoCondition(metric.successCondition, answer),
      argoCondition(metric.failureCondition, answer),
    ]).toEqual([true, false]);
    const text = await cli('gate', 'checkout');
    expect({ code: text.code, first: text.stdout.split('\n')[0] }).toEqual({
      code: 0,
      first: 'checkout: allow',
    });
  }, 60_000);

  it('holds a slow burn with exit 4, which Argo reads as inconclusive (a pause for a human)', async () => {
    world.exporter.slowBurn('checkout');
    const { run, answer } = await gateUntil('hold');
    expect(run.code).toBe(4);
    expect(answer.reasons.map((r) => r.code)).toEqual(['slow-burn']);
    expect([
      argoCondition(metric.successCondition, answer),
      argoCondition(metric.failureCondition, answer),
    ]).toEqual([false, false]);
  }, 60_000);

  it('denies a fast burn with exit 1, and Argo counts the measurement a failure', async () => {
    world.exporter.fastBurn('checkout');
    const { run, answer } = await gateUntil('deny');
    expect(run.code).toBe(1);
    expect(answer.reasons.map((r) => r.code)).toEqual(['fast-burn']);
    expect([
      argoCondition(metric.successCondition, answer),
      argoCondition(metric.failureCondition, answer),
    ]).toEqual([false, true]);
    const text = await cli('gate', 'checkout');
    expect(text.stdout).toMatch(/^checkout: deny\n {2}\[fast-burn\] SLO availability/);
  }, 60_000);

  it('adds the incident the worker opens to the reasons for denying', async () => {
    worker = await startWorker(world, NAMESPACE);
    running = worker.run();
    const answer = await waitFor(
      async () => {
        const a = jsonOf<GateAnswer>(await cli('gate', 'checkout', '--json'));
        return a.reasons.some((r) => r.code === 'incident-active') ? a : undefined;
      },
      60_000,
      'the incident in the gate answer',
    );
    expect(answer.verdict).toBe('deny');
    expect(answer.reasons.map((r) => r.code)).toEqual(['fast-burn', 'incident-active']);
  }, 90_000);

  it('fails closed to deny (exit 1, not 3) when Temporal is unreachable', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    world.exporter.healthy('payments');
    const run = await runCli(['gate', 'payments', '--json', '--address', address], { env });
    expect(run.code).toBe(1);
    const answer = jsonOf<GateAnswer>(run);
    expect(answer).toMatchObject({ verdict: 'deny', reasons: [{ code: 'temporal-unavailable' }] });
    expect(answer.reasons[0]!.message).toContain(`cannot reach Temporal at ${address}`);
    expect(argoCondition(metric.failureCondition, answer)).toBe(true);
  }, 30_000);

  it('refuses a service that is not in the catalog (exit 2)', async () => {
    const run = await cli('gate', 'nosuch');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `safedeploy: unknown service "nosuch": not in the catalog ${world.catalogDir} (services: checkout, payments)\n`,
    );
  });
});

describe('safedeploy report', () => {
  it('reports owners, SLOs, incidents, open proposals and verdicts with Temporal state', async () => {
    const report = await waitFor(
      async () => {
        const r = jsonOf<FleetReport>(await cli('report', '--json'));
        return r.proposals.some((p) => p.service === 'checkout') ? r : undefined;
      },
      60_000,
      'the checkout proposal in the report',
    );
    expect(report.temporal).toEqual({ reachable: true });
    const checkout = report.services.find((s) => s.service === 'checkout')!;
    expect(checkout).toMatchObject({
      owner: { team: 'payments' },
      approvers: ['alice', 'bob'],
      severity: 'fast-burn',
      gate: { verdict: 'deny' },
    });
    expect(checkout.gate.reasons.map((r) => r.code)).toEqual(['fast-burn', 'incident-active']);
    expect(checkout.slos[0]!.burnRates['1h']).toBeCloseTo(20, 5);
    expect(report.services.find((s) => s.service === 'payments')!.gate).toEqual({
      verdict: 'allow',
      wouldBe: 'allow',
      mode: 'enforce',
      reasons: [],
    });
    expect(report.incidents).toEqual([
      expect.objectContaining({ service: 'checkout', state: 'detected', severity: 'fast-burn' }),
    ]);
    expect(report.proposals).toEqual([
      expect.objectContaining({ type: 'rollback-rollout', state: 'pending' }),
    ]);
  }, 90_000);

  it('renders the same report as a table and as Markdown', async () => {
    const text = await cli('report');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^SafeDeploy report at \S+: 2 services\n/);
    expect(text.stdout).toMatch(/\nGate\nSERVICE\s+VERDICT\s+REASONS\ncheckout\s+deny\s+\[fast-burn\]/);
    const markdown = await cli('report', '--markdown');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# SafeDeploy report at /);
    expect(markdown.stdout).toMatch(
      /\n## Incidents\n\n\| INCIDENT \| SERVICE \| STATE \| SEVERITY \| AGE \|\n/,
    );
    expect((await cli('report', '--json', '--markdown')).code).toBe(2);
  }, 30_000);

  it('says when Temporal is unreachable and marks every verdict a fail-closed deny (exit 1)', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const run = await runCli(['report', '--json', '--address', address], { env });
    expect(run.code).toBe(1);
    const report = jsonOf<FleetReport>(run);
    expect(report.temporal).toMatchObject({
      reachable: false,
      error: expect.stringContaining(`cannot reach Temporal at ${address}`) as unknown,
    });
    expect(report.services.map((s) => [s.service, s.gate.verdict, s.gate.reasons[0]!.code])).toEqual([
      ['checkout', 'deny', 'temporal-unavailable'],
      ['payments', 'deny', 'temporal-unavailable'],
    ]);
    const text = await runCli(['report', '--address', address], { env });
    expect(text.stdout).toContain(`Temporal unreachable (cannot reach Temporal at ${address}`);
  }, 30_000);
});
