// The durable control loop end to end on the real dev server: a fleet evaluation every second over
// a real Prometheus scraping an exporter the test controls, incidents and freezes as workflows, and
// the git provider against a local bare environment repository.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { verifyStream } from '../../src/evidence/audit';
import { AUDIT_STREAMS } from '../../src/evidence/streams';
import { changeBranch } from '../../src/gitops/branch';
import {
  acknowledgeSignal,
  approveSignal,
  exhaustionSignal,
  fleetQuery,
  freezeQuery,
  incidentQuery,
  liftFreezeSignal,
  observeSignal,
  outcomeQuery,
  postmortemSignal,
  type ActionOutcome,
  type FreezeView,
  type IncidentView,
  workflowIds,
  WORKFLOW_TYPES,
  workflowTypeIn,
} from '../../workflows/messages';
import { commitsAhead, mergeAsReviewer, remoteBranches, showFile } from '../harness/git';
import { waitFor } from '../harness/prometheus';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import {
  buildWorld,
  catalogYaml,
  runLoop,
  stopLoop,
  type ControlLoopWorld,
  type ServiceSetup,
} from '../support/control-loop';
import { signed, signedApproval } from '../support/signing';

const NAMESPACE = uniqueId('safedeploy-loop');
const SERVICES: ServiceSetup[] = [
  { name: 'checkout' },
  { name: 'payments', freezeDuration: '4s' },
  { name: 'search', strategy: 'rolling' },
  { name: 'cart' },
];

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  world = await buildWorld(SERVICES);
  // Healthy first, so the evaluation knows when each service was last seen healthy.
  ({ client, worker, running } = await runLoop(world, NAMESPACE, 'checkout'));
}, 120_000);

afterAll(async () => {
  if (process.env.SAFEDEPLOY_RECORD_HISTORIES === '1') await saveHistories(client);
  await stopLoop({ client, worker, running, world });
});

/** Refreshes the replay fixtures (test/fixtures/histories) from this run's workflows, via the Temporal CLI. */
async function saveHistories(c: Client): Promise<void> {
  const dir = path.resolve(__dirname, '../fixtures/histories');
  await mkdir(dir, { recursive: true });
  const types = workflowTypeIn('incident', 'postmortem', 'freeze', 'fleetEvaluation');
  for await (const w of c.workflow.list({ query: types })) {
    const json = execFileSync(
      process.env.TEMPORAL_CLI ?? 'temporal',
      [
        'workflow',
        'show',
        '--workflow-id',
        w.workflowId,
        '--run-id',
        w.runId,
        '--output',
        'json',
        '--address',
        testTemporalAddress(),
        '--namespace',
        NAMESPACE,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    await writeFile(
      path.join(dir, `${w.type}-${w.workflowId.replace(/[^a-z0-9-]/gi, '_')}-${w.runId.slice(0, 8)}.json`),
      json,
    );
  }
}

const fleet = () => client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery);
const incident = (id = workflowIds.incident('checkout')) =>
  client.workflow.getHandle(id).query(incidentQuery);

/** Sends a human action and waits for the outcome the workflow reached. */
async function act(
  workflowId: string,
  send: (requestId: string) => Promise<void>,
  final = true,
): Promise<ActionOutcome> {
  const requestId = randomUUID();
  await send(requestId);
  return waitFor(
    async () => {
      const outcome = await client.workflow.getHandle(workflowId).query(outcomeQuery, requestId);
      return outcome && (!final || outcome.final) ? outcome : undefined;
    },
    30_000,
    `the outcome of ${requestId}`,
  );
}

async function incidentsOf(service: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({
    query: `${workflowTypeIn('incident')} AND SafeDeployService = '${service}'`,
  }))
    ids.push(w.workflowId);
  return ids;
}

describe('an error spike on checkout', () => {
  let opened: IncidentView;

  it('opens exactly one incident with one rollback proposal, even after 10 cycles, duplicate signals and an overlapping evaluation', async () => {
    world.exporter.fastBurn('checkout');
    opened = await waitFor(
      async () => {
        const v = await incident().catch(() => undefined);
        return v && v.proposals.length > 0 ? v : undefined;
      },
      60_000,
      'the incident and its proposal',
    );
    expect(opened.severity).toBe('fast-burn');
    expect(opened.state).toBe('detected');
    expect(opened.proposals.map((p) => [p.type, p.state])).toEqual([['rollback-rollout', 'pending']]);
    expect(opened.lastHealthyAt).toBeDefined();

    // The same observation again, as a retried dispatch would send it, and a second evaluator.
    await client.workflow.getHandle(workflowIds.incident('checkout')).signal(observeSignal, opened.latest!);
    const overlap = await client.workflow.start(WORKFLOW_TYPES.fleetEvaluation, {
      workflowId: `overlapping-evaluation-${randomUUID()}`,
      taskQueue: 'safedeploy',
      args: [
        {
          intervalMs: 500,
          timings: { cooldownMs: 3000, proposalTtlMs: 600000, mergePollMs: 300, postmortemReminderMs: 2000 },
        },
      ],
    });
    const cycles = (await fleet()).cycles;
    await waitFor(async () => (await fleet()).cycles >= cycles + 10, 60_000, '10 more evaluation cycles');
    await overlap.terminate('overlap checked');

    const after = await incident();
    expect(after.incidentId).toBe(opened.incidentId);
    expect(after.proposals).toHaveLength(1);
    expect(after.transitions.map((t) => t.to)).toEqual(['detected']);
    expect(await incidentsOf('checkout')).toEqual([workflowIds.incident('checkout')]);
  }, 120_000);

  it('refuses an approval by someone who is not an approver, and changes nothing', async () => {
    const outcome = await act(workflowIds.incident('checkout'), (requestId) =>
      client.workflow
        .getHandle(workflowIds.incident('checkout'))
        .signal(approveSignal, { requestId, by: 'mallory', reason: 'ship it', proposal: 'rollback-rollout' }),
    );
    expect(outcome).toMatchObject({
      accepted: false,
      message: 'refused: mallory is not an approver of checkout',
    });
    const v = await incident();
    expect(v.proposals[0]!.state).toBe('pending');
    expect(remoteBranches(world.repoDir)).toEqual(['main']);
  });

  it('opens exactly one branch when an approver approves, restoring the healthy images', async () => {
    const ack = await act(workflowIds.incident('checkout'), async (requestId) =>
      client.workflow
        .getHandle(workflowIds.incident('checkout'))
        .signal(
          acknowledgeSignal,
          await signed(
            'acknowledge',
            { kind: 'incident', incidentId: opened.incidentId, service: 'checkout' },
            { requestId, by: 'bob', reason: 'looking' },
          ),
        ),
    );
    expect(ack.accepted).toBe(true);
    const outcome = await act(workflowIds.incident('checkout'), async (requestId) =>
      client.workflow.getHandle(workflowIds.incident('checkout')).signal(
        approveSignal,
        await signedApproval(opened, 'rollback-rollout', {
          requestId,
          by: 'alice',
          reason: 'roll back 1.9.0',
        }),
      ),
    );
    const branch = changeBranch(opened.incidentId, 'rollback-rollout');
    expect(outcome).toMatchObject({ accepted: true, final: true });
    expect(outcome.message).toContain(`approved; branch ${branch}`);
    expect(remoteBranches(world.repoDir).sort()).toEqual(['main', branch].sort());
    expect(commitsAhead(world.repoDir, branch)).toHaveLength(1);
    const manifest = showFile(world.repoDir, branch, 'apps/checkout/rollout.yaml');
    expect(manifest).toContain("checkout:1.8.2'");
    expect(manifest).not.toContain('1.9.0');
    const v = await incident();
    expect(v.state).toBe('investigating');
    expect(v.proposals[0]).toMatchObject({ state: 'opened', change: { branch } });
  }, 60_000);

  it('is mitigated when a reviewer merges the branch, resolved after the cool-down, and complete with a postmortem', async () => {
    const branch = changeBranch(opened.incidentId, 'rollback-rollout');
    const mergeCommit = mergeAsReviewer(world.repoUrl, branch);
    await waitFor(async () => (await incident()).state === 'mitigated', 30_000, 'mitigated');
    world.exporter.healthy('checkout');
    const postmortemId = workflowIds.postmortem(opened.incidentId);
    const resolved = await waitFor(
      () =>
        client.workflow
          .getHandle(postmortemId)
          .query(incidentQuery)
          .catch(() => undefined),
      60_000,
      'the postmortem workflow',
    );
    expect(resolved.state).toBe('resolved');
    expect(resolved.proposals[0]).toMatchObject({ state: 'merged', change: { mergeCommit } });
    expect(resolved.transitions.map((t) => t.to)).toEqual([
      'detected',
      'investigating',
      'mitigated',
      'resolved',
    ]);
    expect(resolved.transitions[3]!.reason).toMatch(/every SLO stayed normal/);
    // The service's incident id is free again while the postmortem is pending (the incident completes in
    // the workflow task after its postmortem child started, so a moment after the postmortem answers).
    await waitFor(
      async () =>
        (await client.workflow.getHandle(workflowIds.incident('checkout')).describe()).status.name ===
        'COMPLETED',
      15_000,
      'the incident workflow to complete',
    );

    await waitFor(
      async () =>
        (await client.workflow.getHandle(postmortemId).query(incidentQuery)).timeline.some(
          (e) => e.kind === 'reminder',
        ),
      20_000,
      'a postmortem reminder',
    );
    const postmortem = { url: 'https://docs.example.com/pm/1', actionItems: ['alert on canary error rate'] };
    const done = await act(postmortemId, async (requestId) =>
      client.workflow
        .getHandle(postmortemId)
        .signal(
          postmortemSignal,
          await signed(
            'postmortem',
            { kind: 'incident', incidentId: opened.incidentId, service: 'checkout' },
            { requestId, by: 'bob', reason: 'reviewed', ...postmortem },
            { postmortem },
          ),
        ),
    );
    expect(done.accepted).toBe(true);
    const final = (await client.workflow.getHandle(postmortemId).result()) as IncidentView;
    expect(final.state).toBe('postmortem-complete');
    expect(final.postmortem).toMatchObject({ url: 'https://docs.example.com/pm/1', by: 'bob' });
  }, 120_000);

  it('kept the evidence files and an intact audit chain', async () => {
    const files = await readdir(path.join(world.dataDir, 'evidence', opened.incidentId));
    for (const name of [
      'decision.json',
      'slo.json',
      'budget.json',
      'proposal-rollback-rollout.json',
      'pull-request-rollback-rollout.json',
      'resolution.json',
      'postmortem.json',
    ]) {
      expect(files).toContain(name);
    }
    expect(files.filter((f) => f.startsWith('approval-'))).toHaveLength(2);
    for (const stream of AUDIT_STREAMS) {
      const result = await verifyStream(world.dataDir, stream);
      expect(result.broken).toBeUndefined();
    }
    expect((await verifyStream(world.dataDir, 'approvals')).lines).toBeGreaterThanOrEqual(2);
  });
});

describe('an exhausted budget on payments', () => {
  const freeze = () => client.workflow.getHandle(workflowIds.freeze('payments'));

  it('freezes the service until the timer fires after the last exhausted evaluation', async () => {
    world.exporter.exhausted('payments');
    const frozen = await waitFor(
      async () =>
        (await freeze()
          .query(freezeQuery)
          .catch(() => undefined)) ?? undefined,
      60_000,
      'the freeze',
    );
    expect(frozen).toMatchObject({ state: 'frozen', until: null, exhausted: true });
    world.exporter.healthy('payments');
    const timed = await waitFor(
      async () => {
        const v = await freeze().query(freezeQuery);
        return v.until ? v : undefined;
      },
      30_000,
      'the freeze timer',
    );
    const ended = (await freeze().result()) as FreezeView;
    expect(ended.state).toBe('expired');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(timed.until!));
  }, 120_000);

  it('lets only an approver lift a freeze early', async () => {
    world.exporter.exhausted('payments');
    await waitFor(
      async () => {
        const d = await freeze()
          .describe()
          .catch(() => undefined);
        return d?.status.name === 'RUNNING';
      },
      60_000,
      'a new freeze',
    );
    const refused = await act(workflowIds.freeze('payments'), (requestId) =>
      freeze().signal(liftFreezeSignal, { requestId, by: 'mallory', reason: 'please' }),
    );
    expect(refused).toMatchObject({
      accepted: false,
      message: 'refused: mallory is not an approver of payments',
    });
    const lifted = await act(workflowIds.freeze('payments'), async (requestId) =>
      freeze().signal(
        liftFreezeSignal,
        await signed(
          'lift-freeze',
          { kind: 'freeze', service: 'payments' },
          { requestId, by: 'alice', reason: 'hotfix needs to ship' },
        ),
      ),
    );
    expect(lifted.accepted).toBe(true);
    const view = (await freeze().result()) as FreezeView;
    expect(view).toMatchObject({
      state: 'lifted',
      liftedBy: { by: 'alice', reason: 'hotfix needs to ship' },
    });
    expect(view.refusals).toHaveLength(1);
    void exhaustionSignal;
  }, 120_000);
});

describe('a catalog entry that violates the structural policy', () => {
  const policy = () => client.workflow.getHandle(workflowIds.policyIncident('search'));

  it('opens one policy incident with a block-promotion proposal, once per violation, resolved when the catalog is fixed', async () => {
    const opened = await waitFor(
      async () => {
        const v = await policy()
          .query(incidentQuery)
          .catch(() => undefined);
        return v && v.proposals.length > 0 ? v : undefined;
      },
      60_000,
      'the policy incident',
    );
    expect(opened).toMatchObject({ kind: 'policy', state: 'detected', severity: 'policy-violation' });
    expect(opened.proposals.map((p) => [p.type, p.state])).toEqual([['block-promotion', 'pending']]);
    expect(opened.transitions[0]!.reason).toMatch(/not-canary/);
    const cycles = (await fleet()).cycles;
    await waitFor(async () => (await fleet()).cycles >= cycles + 5, 30_000, '5 more cycles');
    expect((await policy().query(incidentQuery)).proposals).toHaveLength(1);
    expect(await policyIncidentsOf('search')).toHaveLength(1);

    const file = path.join(world.catalogDir, 'services.yaml');
    await writeFile(
      file,
      catalogYaml(
        SERVICES.map((s) => ({ ...s, strategy: 'canary' })),
        world.repoUrl,
      ),
    );
    const resolved = await waitFor(
      () =>
        client.workflow
          .getHandle(workflowIds.postmortem(opened.incidentId))
          .query(incidentQuery)
          .catch(() => undefined),
      60_000,
      'the resolved policy incident',
    );
    expect(resolved.state).toBe('resolved');
    expect(resolved.transitions[resolved.transitions.length - 1]!.reason).toBe('the catalog entry is fixed');
    expect(await readFile(file, 'utf8')).not.toContain('rolling');
  }, 120_000);

  async function policyIncidentsOf(service: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const w of client.workflow.list({
      query: `${workflowTypeIn('incident')} AND WorkflowId = '${workflowIds.policyIncident(service)}'`,
    }))
      ids.push(w.runId);
    return ids;
  }
});

describe('a burn while the canary is in progress', () => {
  const cart = () => client.workflow.getHandle(workflowIds.incident('cart'));

  it('blocks promotion, then proposes to promote the paused canary once the gate allows again', async () => {
    world.exporter.rolloutPhase = 'Progressing';
    world.exporter.fastBurn('cart');
    const opened = await waitFor(
      async () => {
        const v = await cart()
          .query(incidentQuery)
          .catch(() => undefined);
        return v && v.proposals.length >= 2 ? v : undefined;
      },
      60_000,
      'the rollback and block-promotion proposals',
    );
    expect(opened.proposals.map((p) => p.type).sort()).toEqual(['block-promotion', 'rollback-rollout']);

    const blocked = await act(workflowIds.incident('cart'), async (requestId) =>
      cart().signal(
        approveSignal,
        await signedApproval(opened, 'block-promotion', { requestId, by: 'bob', reason: 'stop the canary' }),
      ),
    );
    const blockBranch = changeBranch(opened.incidentId, 'block-promotion');
    expect(blocked.message).toContain(blockBranch);
    expect(showFile(world.repoDir, blockBranch, 'apps/cart/rollout.yaml')).toMatch(/^\s+paused: true$/m);
    mergeAsReviewer(world.repoUrl, blockBranch);
    world.exporter.rolloutPhase = 'Paused';
    await waitFor(
      async () =>
        (await cart().query(incidentQuery)).proposals.find((p) => p.type === 'block-promotion')?.state ===
        'merged',
      30_000,
      'the merge',
    );

    world.exporter.healthy('cart');
    const postmortemId = workflowIds.postmortem(opened.incidentId);
    const resolved = await waitFor(
      async () => {
        const v = await client.workflow
          .getHandle(postmortemId)
          .query(incidentQuery)
          .catch(() => undefined);
        return v?.proposals.some((p) => p.type === 'promote-canary') ? v : undefined;
      },
      60_000,
      'the promote-canary proposal',
    );
    expect(resolved.state).toBe('resolved');
    const promoted = await act(postmortemId, async (requestId) =>
      client.workflow
        .getHandle(postmortemId)
        .signal(
          approveSignal,
          await signedApproval(opened, 'promote-canary', { requestId, by: 'alice', reason: 'healthy again' }),
        ),
    );
    const promoteBranch = changeBranch(opened.incidentId, 'promote-canary');
    expect(promoted.message).toContain(promoteBranch);
    expect(showFile(world.repoDir, promoteBranch, 'apps/cart/rollout.yaml')).toMatch(/^\s+paused: false$/m);
    world.exporter.rolloutPhase = undefined;
  }, 180_000);
});
