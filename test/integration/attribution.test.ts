// Change attribution end to end, at real time: releases are committed when they happen (or, for the
// burn that begins 3 minutes after its release, backfilled into Prometheus at the real past times the
// release commit also carries), errors follow, and the one rollback proposal must restore the release
// before the suspect. Real dev server, Prometheus and git; approvals through the `safedeploy` CLI.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { changeBranch } from '../../src/gitops/branch';
import type { Attribution } from '../../src/incident/attribution';
import type { FleetReport } from '../../src/operator/report';
import { ALERT_WINDOWS } from '../../src/slo/windows';
import { incidentQuery, type IncidentView, workflowIds } from '../../workflows/messages';
import { createBareRepo, mergeAsReviewer, seedHistory, showFile } from '../harness/git';
import { startTestExporter, startTestPrometheus, waitFor, type TestExporter } from '../harness/prometheus';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { jsonOf, runCli } from '../support/cli';
import {
  catalogYaml,
  rolloutWithVersion,
  SliExporter,
  runLoop,
  loopCliEnv,
  stopLoop,
  type ControlLoopWorld,
} from '../support/control-loop';
import { signedArgs, testSigning } from '../support/signing';

const NAMESPACE = uniqueId('safedeploy-attribution');
const SERVICES = ['thirty', 'late', 'zero', 'quiet', 'replicas', 'tworel', 'after', 'moved'];
const MIN = 60_000;
const file = (service: string) => `apps/${service}/rollout.yaml`;
const images = (version: string) => [
  `registry.example.com/shop/checkout-migrate:${version}`,
  `registry.example.com/shop/checkout:${version}`,
];

let world: ControlLoopWorld;
let exporter: TestExporter;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let env: NodeJS.ProcessEnv;
/** When the late service's release was committed and its errors began: minutes ago, for real. */
let lateRelease: number;
let thirtyRelease: number;

const cli = (...args: string[]) => runCli(signedArgs(args), { env });
const sli = new SliExporter();

/** Commits `version` of `service`'s Rollout to main at `date` (author and committer date). */
function release(service: string, version: string, date = new Date(), content?: string): void {
  seedHistory(world.repoUrl, [
    {
      files: { [file(service)]: content ?? rolloutWithVersion(version) },
      message: `${service} ${version}`,
      date: date.toISOString(),
    },
  ]);
}

/** OpenMetrics for the test exporter's gauges of `service`: healthy, then a fast burn from `burnAt`. */
function backfill(service: string, from: number, to: number, burnAt: number): string {
  const healthy = new SliExporter();
  healthy.healthy(service);
  const burning = new SliExporter();
  burning.fastBurn(service);
  const ratio = (exporter: SliExporter, w: string) =>
    Number(
      / (\S+)$/.exec(
        exporter
          .metrics()
          .split('\n')
          .find((l) => l.includes(`window="${w}"`) && l.startsWith('safedeploy_test_sli_errors'))!,
      )![1],
    ) / 1000;
  const windows = [...ALERT_WINDOWS, '30d'];
  const lines = ['# TYPE safedeploy_test_sli_errors gauge'];
  const totals = ['# TYPE safedeploy_test_sli_total gauge'];
  for (const w of windows) {
    const labels = `service="${service}",window="${w}",job="history",instance="history"`;
    for (let t = from; t <= to; t += 15_000) {
      const r = ratio(t >= burnAt ? burning : healthy, w);
      lines.push(`safedeploy_test_sli_errors{${labels}} ${r * 1000} ${Math.floor(t / 1000)}`);
      totals.push(`safedeploy_test_sli_total{${labels}} 1000 ${Math.floor(t / 1000)}`);
    }
  }
  return [...lines, ...totals, '# EOF', ''].join('\n');
}

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-attribution-'));
  const now = Date.now();
  // The late service: 1.9.0 committed five minutes ago, errors from three minutes after it.
  lateRelease = now - 5 * MIN;
  const lateBurn = lateRelease + 3 * MIN;
  for (const s of SERVICES) sli.healthy(s);
  sli.fastBurn('late');
  exporter = await startTestExporter(() => sli.metrics());
  const prometheus = await startTestPrometheus({
    backfill: backfill('late', now - 60 * MIN, now - 5_000, lateBurn),
    scrapeTargets: [{ job: 'sli', targets: [exporter.target], interval: '1s' }],
  });
  const repoDir = path.join(dir, 'env.git');
  const repoUrl = createBareRepo(repoDir);
  const catalogDir = path.join(dir, 'catalog');
  await mkdir(catalogDir);
  await writeFile(
    path.join(catalogDir, 'services.yaml'),
    catalogYaml(
      SERVICES.map((name) => ({ name })),
      repoUrl,
    ),
  );
  world = {
    dir,
    exporter: sli,
    prometheus,
    repoDir,
    repoUrl,
    catalogDir,
    dataDir: path.join(dir, 'data'),
    stop: async () => {
      await prometheus.stop();
      await exporter.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  for (const s of SERVICES) release(s, '1.8.2', new Date(now - (s === 'quiet' ? 3 * 24 * 60 : 120) * MIN));
  release('late', '1.9.0', new Date(lateRelease));
  release('tworel', '1.9.0', new Date(now - 60 * MIN));
  thirtyRelease = Date.now();
  release('thirty', '1.9.0');
  ({ client, worker, running } = await runLoop(world, NAMESPACE, 'zero', 60_000));
  env = loopCliEnv(world, NAMESPACE, 'alice');
}, 180_000);

afterAll(async () => {
  if (process.env.SAFEDEPLOY_RECORD_HISTORIES === '1') await saveHistories();
  await stopLoop({ client, worker, running, world });
});

/** Replay fixtures of the attributed incidents (test/fixtures/histories), via the Temporal CLI. */
async function saveHistories(): Promise<void> {
  const dir = path.resolve(__dirname, '../fixtures/histories');
  for (const service of ['zero', 'quiet', 'moved']) {
    const handle = client.workflow.getHandle(workflowIds.incident(service));
    const { runId } = await handle.describe();
    const json = execFileSync(
      process.env.TEMPORAL_CLI ?? 'temporal',
      ['workflow', 'show', '--workflow-id', handle.workflowId, '--run-id', runId, '--output', 'json'].concat([
        '--address',
        testTemporalAddress(),
        '--namespace',
        NAMESPACE,
      ]),
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    await writeFile(path.join(dir, `incidentWorkflow-attributed-${service}-${runId.slice(0, 8)}.json`), json);
  }
}

const view = (service: string) =>
  client.workflow.getHandle(workflowIds.incident(service)).query(incidentQuery);

/** Waits until the service's incident has attributed its burn (a proposal, or a reason for none). */
async function attributed(service: string): Promise<IncidentView> {
  return waitFor(
    async () => {
      const v = await view(service).catch(() => undefined);
      return v?.attribution && v.attribution.outcome !== 'pending' ? v : undefined;
    },
    90_000,
    `the attribution of ${service}'s burn`,
  );
}

/** Through the CLI: the pending rollback shows `target` images; approving it opens a branch restoring them. */
async function approveAndCheck(service: string, target: string, current: string): Promise<string> {
  const shown = jsonOf<IncidentView>(await cli('incident', 'show', service, '--json'));
  const proposal = shown.proposals
    .filter((p) => p.type === 'rollback-rollout' && p.state === 'pending')
    .pop()!;
  expect(proposal.target?.images?.map((i) => i.image)).toEqual(images(target));
  expect(proposal.target?.currentImages?.map((i) => i.image)).toEqual(images(current));
  const approved = await cli(
    'proposal',
    'approve',
    proposal.id,
    '--reason',
    `roll back ${service}`,
    '--by',
    'alice',
  );
  expect(approved.code).toBe(0);
  expect(approved.stderr).toBe(
    `signed as alice with ${testSigning().keys.alice!.fingerprint} (${testSigning().keys.alice!.file})\n` +
      `approved ${proposal.id}; opening the change …\n`,
  );
  const branch = changeBranch(shown.incidentId, 'rollback-rollout');
  const manifest = showFile(world.repoDir, branch, file(service));
  for (const image of images(target)) expect(manifest).toContain(`'${image}'`);
  expect(manifest).not.toContain(`:${current}'`);
  return manifest;
}

describe('the release before the burn is rolled back, at real timing', () => {
  it('errors 30 s after the release commit', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, thirtyRelease + 30_000 - Date.now())));
    sli.fastBurn('thirty');
    const v = await attributed('thirty');
    expect(v.attribution).toMatchObject({ outcome: 'rollback', suspect: { subject: 'thirty 1.9.0' } });
    expect(Date.parse(v.onset!.at)).toBeGreaterThanOrEqual(thirtyRelease + 30_000 - 1_000);
    await approveAndCheck('thirty', '1.8.2', '1.9.0');
  }, 120_000);

  it('errors 3 min after the release commit (history backfilled at the real past times)', async () => {
    const v = await attributed('late');
    expect(v.onset).toMatchObject({ source: 'prometheus', slo: 'availability' });
    // The onset is where the backfilled burn begins, within one 15 s sample and one 5 s step.
    expect(Math.abs(Date.parse(v.onset!.at) - (lateRelease + 3 * MIN))).toBeLessThanOrEqual(20_000);
    expect(v.attribution?.suspect).toMatchObject({
      subject: 'late 1.9.0',
      author: 'Rita Reviewer <rita@example.com>',
    });
    expect(Date.parse(v.attribution!.suspect!.date)).toBe(Math.floor(lateRelease / 1000) * 1000);
    await approveAndCheck('late', '1.8.2', '1.9.0');
  }, 120_000);

  it('errors 0 s after the release commit; attribution.json, incident show, the branch and report agree', async () => {
    const committed = Date.now();
    release('zero', '1.9.0');
    sli.fastBurn('zero');
    const v = await attributed('zero');
    expect(Date.parse(v.onset!.at)).toBeGreaterThanOrEqual(Math.floor(committed / 1000) * 1000);
    await approveAndCheck('zero', '1.8.2', '1.9.0');

    const evidence = JSON.parse(
      await readFile(path.join(world.dataDir, 'evidence', v.incidentId, 'attribution.json'), 'utf8'),
    ) as Attribution;
    expect(evidence).toMatchObject({
      outcome: 'rollback',
      lookback: '24h',
      suspect: { subject: 'zero 1.9.0', author: 'Rita Reviewer <rita@example.com>' },
    });
    expect(evidence.onset.queries.map((q) => [q.slo, q.expr.includes('window="5m"')])).toEqual([
      ['availability', true],
    ]);
    expect(evidence.target?.images.map((i) => i.image)).toEqual(images('1.8.2'));
    expect(evidence.current?.images.map((i) => i.image)).toEqual(images('1.9.0'));
    const audit = (await readFile(path.join(world.dataDir, 'audit', 'incidents.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r.incidentId === v.incidentId);
    expect(audit).toContainEqual(
      expect.objectContaining({ type: 'attribution', outcome: 'rollback', suspect: evidence.suspect!.sha }),
    );
    expect(audit).toContainEqual(expect.objectContaining({ type: 'burn-onset', onset: v.onset!.at }));
    const text = (await cli('incident', 'show', 'zero')).stdout;
    expect(text).toContain('Suspect:      1.9.0');
    expect(text).toContain(`Restores:     ${images('1.8.2').join(', ')}`);

    // Mitigation: the reviewer merges; the release's spend lands in the evidence and the report.
    mergeAsReviewer(world.repoUrl, changeBranch(v.incidentId, 'rollback-rollout'));
    const mitigated = await waitFor(
      async () => {
        const now = await view('zero');
        return now.attribution?.spent?.length ? now : undefined;
      },
      60_000,
      'the budget 1.9.0 spent',
    );
    expect(mitigated.attribution!.spent![0]!.budgetShare).toBeGreaterThan(0);
    const report = await cli('report');
    expect(report.stdout).toMatch(/1\.9\.0 spent [\d.]+ % of zero's 30-day budget \(availability\)/);
    const json = jsonOf<FleetReport>(await cli('report', '--json'));
    expect(json.incidents.find((i) => i.service === 'zero')?.attribution?.suspect?.subject).toBe(
      'zero 1.9.0',
    );
  }, 150_000);

  it('no release within the look-back: no rollback, and the timeline, incident show and Web UI say why', async () => {
    sli.fastBurn('quiet');
    const v = await attributed('quiet');
    expect(v.proposals).toEqual([]);
    const why =
      /quiet has run \S+checkout-migrate:1\.8\.2, \S+checkout:1\.8\.2 since \S+, 3 d before the burn began/;
    expect(v.attribution?.reason).toMatch(why);
    expect(v.timeline.map((e) => e.message).join('\n')).toMatch(why);
    expect((await cli('incident', 'show', 'quiet')).stdout).toMatch(why);
    const metadata = await client.workflow
      .getHandle(workflowIds.incident('quiet'))
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(why);
  }, 120_000);

  it('a replicas-only commit after the bad release is neither the suspect nor reverted', async () => {
    release('replicas', '1.9.0');
    release(
      'replicas',
      'replicas',
      new Date(),
      rolloutWithVersion('1.9.0').replace('replicas: 6', 'replicas: 9'),
    );
    sli.fastBurn('replicas');
    const v = await attributed('replicas');
    expect(v.attribution?.suspect?.subject).toBe('replicas 1.9.0');
    const manifest = await approveAndCheck('replicas', '1.8.2', '1.9.0');
    expect(manifest).toContain('replicas: 9');
  }, 120_000);

  it('two releases in a row, the second bad: the first is restored', async () => {
    release('tworel', '1.10.0');
    sli.fastBurn('tworel');
    const v = await attributed('tworel');
    expect(v.attribution?.suspect?.subject).toBe('tworel 1.10.0');
    await approveAndCheck('tworel', '1.9.0', '1.10.0');
  }, 120_000);

  it('a release committed after the onset is not the suspect', async () => {
    release('after', '1.9.0');
    // The short window burns first; the fast-burn rule (1h and 5m) fires only later.
    sli.shortBurn('after');
    const onsetWindow = Date.now();
    await new Promise((r) => setTimeout(r, 12_000));
    release('after', '1.9.1');
    sli.fastBurn('after');
    const v = await attributed('after');
    expect(Date.parse(v.onset!.at)).toBeLessThan(onsetWindow + 10_000);
    expect(v.attribution?.suspect?.subject).toBe('after 1.9.0');
    expect(v.attribution?.afterOnset?.map((c) => c.subject)).toEqual(['after 1.9.1']);
    await approveAndCheck('after', '1.8.2', '1.9.1');
  }, 120_000);

  it('the base branch moving between proposal and approval refuses the approval and proposes afresh', async () => {
    release('moved', '1.9.0');
    sli.fastBurn('moved');
    const v = await attributed('moved');
    const first = v.proposals[0]!;
    expect(first.target?.images?.map((i) => i.image)).toEqual(images('1.8.2'));
    release('moved', '1.9.1');
    const refused = await cli('proposal', 'approve', first.id, '--reason', 'roll back', '--by', 'alice');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^safedeploy: refused: the base branch moved: \\S+ "moved 1\\.9\\.1" .* changed the pod template .*a fresh proposal ${first.id}-2 is made`,
        'm',
      ),
    );
    await waitFor(
      async () => ((await view('moved')).proposals.some((p) => p.id === `${first.id}-2`) ? true : undefined),
      30_000,
      'the fresh proposal',
    );
    const after = await view('moved');
    expect(after.proposals[0]!.state).toBe('superseded');
    await approveAndCheck('moved', '1.8.2', '1.9.1');
  }, 120_000);
});
