// The operator's side of an incident, through the real `safedeploy` binary: a fast burn seen by a real
// Prometheus opens an incident on the dev server; the CLI lists it, is refused for a non-approver,
// approves as an approver (a real branch on a bare git repository), follows the merge to mitigated,
// recovery to resolved, and records the postmortem. Then every error the operator can hit, and freezes.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { changeBranch } from '../../src/gitops/branch';
import type { IncidentSummary, OpenProposal } from '../../src/operator/report';
import { type FreezeView, type IncidentView, workflowIds } from '../../workflows/messages';
import { mergeAsReviewer, remoteBranches } from '../harness/git';
import { uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import { expectOneLine, jsonOf, runCli } from '../support/cli';
import { buildWorld, loopCliEnv, runLoop, stopLoop, type ControlLoopWorld } from '../support/control-loop';
import { signedArgs } from '../support/signing';

const NAMESPACE = uniqueId('safedeploy-cli-operator');

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }, { name: 'payments' }]);
  ({ client, worker, running } = await runLoop(world, NAMESPACE, 'checkout'));
  // carol is the default --by for these commands, and is no approver of anything.
  env = loopCliEnv(world, NAMESPACE, 'carol');
}, 120_000);

afterAll(async () => {
  await stopLoop({ client, worker, running, world });
});

const cli = (...args: string[]) => runCli(signedArgs(args, 'carol'), { env });

const showJson = async (ref: string) =>
  jsonOf<IncidentView & { workflowId: string }>(await cli('incident', 'show', ref, '--json'));

describe('the approval round trip from the CLI', () => {
  let incidentId: string;
  let proposal: string;

  it('lists the incident a fast burn opens, with its pending rollback proposal', async () => {
    world.exporter.fastBurn('checkout');
    const listed = await waitFor(
      async () => {
        const { incidents } = jsonOf<{ incidents: IncidentSummary[] }>(
          await cli('incident', 'list', '--json'),
        );
        return incidents.find((i) => i.service === 'checkout' && i.proposals.length > 0);
      },
      60_000,
      'the checkout incident in `incident list`',
    );
    incidentId = listed.incidentId;
    proposal = `${incidentId}/rollback-rollout`;
    expect(listed).toMatchObject({
      state: 'detected',
      severity: 'fast-burn',
      proposals: [{ id: proposal, state: 'pending' }],
    });

    const table = await cli('incident', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^INCIDENT\s+SERVICE\s+KIND\s+STATE\s+SEVERITY\s+AGE\s+PROPOSALS\n/);
    expect(table.stdout).toMatch(
      new RegExp(
        `${incidentId}\\s+checkout\\s+slo\\s+detected\\s+fast-burn\\s+\\S+\\s+rollback-rollout:pending`,
      ),
    );
    const { proposals } = jsonOf<{ proposals: OpenProposal[] }>(
      await cli('proposal', 'list', '--service', 'checkout', '--json'),
    );
    expect(proposals).toEqual([
      expect.objectContaining({ id: proposal, service: 'checkout', state: 'pending' }),
    ]);
    expect((await cli('proposal', 'list')).stdout).toContain(proposal);
  }, 90_000);

  it('refuses an approval by someone who is not an approver (exit 1), and opens nothing', async () => {
    expectOneLine(
      await cli('proposal', 'approve', proposal, '--reason', 'ship it', '--by', 'mallory'),
      1,
      'safedeploy: refused: mallory is not an approver of checkout',
    );
    // Without --by the acting user is $SAFEDEPLOY_USER.
    expectOneLine(
      await cli('proposal', 'approve', 'checkout', '--reason', 'ship it'),
      1,
      'safedeploy: refused: carol is not an approver of checkout',
    );
    expect(remoteBranches(world.repoDir)).toEqual(['main']);
    expect((await showJson(incidentId)).proposals[0]!.state).toBe('pending');
  });

  it('approves as alice and prints the branch the workflow opened', async () => {
    const run = await cli('proposal', 'approve', 'checkout', '--reason', 'roll back 1.9.0', '--by', 'alice');
    const branch = changeBranch(incidentId, 'rollback-rollout');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^approved; branch ${branch}: file://\\S+#${branch}\\n$`));
    expect(remoteBranches(world.repoDir).sort()).toEqual([branch, 'main'].sort());
  }, 60_000);

  it('refuses to approve the proposal again now that it is no longer pending', async () => {
    expectOneLine(
      await cli('proposal', 'approve', proposal, '--reason', 'again', '--by', 'alice'),
      1,
      `safedeploy: refused: proposal ${proposal} is opened, not pending`,
    );
  });

  it('acknowledges, and shows who moved the incident and why', async () => {
    const ack = await cli('incident', 'ack', incidentId, '--reason', 'looking into 1.9.0', '--by', 'bob');
    expect({ code: ack.code, stdout: ack.stdout }).toEqual({
      code: 0,
      stdout: `acknowledged; ${incidentId} is investigating\n`,
    });
    const shown = await cli('incident', 'show', 'checkout');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/State:\s+investigating/);
    expect(shown.stdout).toMatch(/detected\s+investigating\s+bob\s+looking into 1\.9\.0/);
    // The proposal restores 1.8.2 (the release before the one committed just before the burn).
    expect(shown.stdout).toMatch(
      new RegExp(
        `${proposal}\\s+opened\\s+\\S+\\s+\\S+checkout-migrate:1\\.8\\.2, \\S+checkout:1\\.8\\.2 \\(\\w{12}\\)\\s+file://`,
      ),
    );
    expect(shown.stdout).toMatch(
      /mallory approve rollback-rollout: refused \(mallory is not an approver of checkout\) — ship it/,
    );
    expect(shown.stdout).toContain('Timeline');
  });

  it('follows the merge to mitigated and recovery to resolved, then records the postmortem', async () => {
    mergeAsReviewer(world.repoUrl, changeBranch(incidentId, 'rollback-rollout'));
    await waitFor(async () => (await showJson(incidentId)).state === 'mitigated', 30_000, 'mitigated');
    expectOneLine(
      await cli(
        'incident',
        'postmortem',
        incidentId,
        '--url',
        'https://docs.example.com/pm/1',
        '--by',
        'bob',
      ),
      1,
      'safedeploy: refused: incident is mitigated; resolve it before recording the postmortem',
    );
    world.exporter.healthy('checkout');
    const resolved = await waitFor(
      async () => {
        const v = await showJson(incidentId);
        return v.state === 'resolved' ? v : undefined;
      },
      60_000,
      'resolved',
    );
    expect(resolved.workflowId).toBe(workflowIds.postmortem(incidentId));
    expect(resolved.transitions.map((t) => [t.to, t.actor])).toEqual([
      ['detected', 'safedeploy'],
      ['investigating', 'bob'],
      ['mitigated', 'safedeploy'],
      ['resolved', 'safedeploy'],
    ]);
    // Awaiting its postmortem, the incident is still open, though it no longer blocks the service.
    await waitFor(
      async () => {
        const { incidents } = jsonOf<{ incidents: IncidentSummary[] }>(
          await cli('incident', 'list', '--service', 'checkout', '--json'),
        );
        return incidents.some((i) => i.incidentId === incidentId && i.state === 'resolved');
      },
      20_000,
      'the resolved incident in `incident list --service checkout`',
    );

    const args = [
      '--url',
      'https://docs.example.com/pm/1',
      '--action-item',
      'alert on canary errors',
      '--action-item',
      'pin images',
      '--by',
      'bob',
      '--reason',
      'reviewed',
    ];
    const done = await cli('incident', 'postmortem', incidentId, ...args);
    expect({ code: done.code, stdout: done.stdout }).toEqual({
      code: 0,
      stdout: `postmortem recorded; ${incidentId} is postmortem-complete\n`,
    });
    const final = await showJson(incidentId);
    expect(final).toMatchObject({
      state: 'postmortem-complete',
      postmortem: {
        url: 'https://docs.example.com/pm/1',
        by: 'bob',
        actionItems: ['alert on canary errors', 'pin images'],
      },
    });
    const open = jsonOf<{ incidents: IncidentSummary[] }>(
      await cli('incident', 'list', '--service', 'checkout', '--json'),
    );
    expect(open.incidents).toEqual([]);
    const all = await waitFor(
      async () => {
        const { incidents } = jsonOf<{ incidents: IncidentSummary[] }>(
          await cli('incident', 'list', '--all', '--service', 'checkout', '--json'),
        );
        return incidents.some((i) => i.state === 'postmortem-complete') ? incidents : undefined;
      },
      20_000,
      'the finished incident in `incident list --all`',
    );
    expect(all.map((i) => [i.incidentId, i.state])).toContainEqual([incidentId, 'postmortem-complete']);
  }, 150_000);
});

describe('freezes from the CLI', () => {
  it('lists the freeze an exhausted budget starts', async () => {
    world.exporter.exhausted('payments');
    const frozen = await waitFor(
      async () => {
        const { freezes } = jsonOf<{ freezes: FreezeView[] }>(await cli('freeze', 'list', '--json'));
        return freezes.find((f) => f.service === 'payments');
      },
      60_000,
      'the payments freeze in `freeze list`',
    );
    expect(frozen).toMatchObject({ state: 'frozen', until: null, exhausted: true });
    expect((await cli('freeze', 'list')).stdout).toMatch(/payments\s+frozen\s+\S+\s+budget exhausted\s+-/);
  }, 90_000);

  it('refuses to lift it for a non-approver (exit 1), then lifts it for an approver', async () => {
    expectOneLine(
      await cli('freeze', 'lift', 'payments', '--reason', 'please', '--by', 'mallory'),
      1,
      'safedeploy: refused: mallory is not an approver of payments',
    );
    const lifted = await cli('freeze', 'lift', 'payments', '--reason', 'hotfix must ship', '--by', 'alice');
    expect({ code: lifted.code, stdout: lifted.stdout }).toEqual({
      code: 0,
      stdout: 'freeze of payments lifted\n',
    });
    const { freezes } = jsonOf<{ freezes: FreezeView[] }>(await cli('freeze', 'list', '--all', '--json'));
    expect(freezes.find((f) => f.service === 'payments')).toMatchObject({
      state: 'lifted',
      liftedBy: { by: 'alice', reason: 'hotfix must ship' },
    });
  }, 60_000);

  it('says there is nothing to lift when a service is not frozen (exit 1)', async () => {
    expectOneLine(
      await cli('freeze', 'lift', 'checkout', '--reason', 'x', '--by', 'alice'),
      1,
      'safedeploy: no active freeze for "checkout" (try: safedeploy freeze list)',
    );
  });
});
