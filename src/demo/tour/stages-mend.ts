// The second half of the tour: a human approves, a reviewer merges, the service recovers, SafeDeploy
// resolves, and the postmortem closes the record.
import { changeBranch } from '../../gitops/branch';
import { workflowIds } from '../../../workflows/messages';
import { setDemoFaults } from '../../demo-service/client';
import { safedeploy } from './commands';
import { workflowLink } from './context';
import { mergeAsReviewer, showBranch } from './env-moves';
import type { Stage } from './runner';
import { incidentOf, reached, ROLLBACK, type TourState } from './state';
import { waitForIncident } from './watch';

export const approveRollback: Stage<TourState> = {
  title: 'Acknowledge the incident and approve the rollback',
  timeoutMs: 3 * 60_000,
  async run(state, say) {
    const { ctx } = state;
    const id = incidentOf(state).incidentId;
    // Signed with the approver's demo key: the worker refuses unsigned actions.
    const by = ['--by', ctx.approver, '--key', ctx.approverKey];
    await safedeploy(ctx, ['incident', 'ack', id, ...by, '--reason', 'on it: errors since the release'], say);
    const release = state.release ? `${state.release.to}` : 'the release';
    await safedeploy(
      ctx,
      ['proposal', 'approve', `${id}/${ROLLBACK}`, ...by, '--reason', `roll back ${release}`],
      say,
    );
    state.branch = changeBranch(id, ROLLBACK);
  },
};

export const inspectBranch: Stage<TourState> = {
  title: "Look at SafeDeploy's branch in the environment repository",
  timeoutMs: 60_000,
  async run(state, say) {
    const branch = branchOf(state);
    say(`SafeDeploy pushed ${branch} to ${state.ctx.envRepoUrl} (with GitHub it opens a pull request).`);
    await showBranch(state.ctx, branch, say);
  },
};

export const mergeBranch: Stage<TourState> = {
  title: 'Merge it, as a reviewer would',
  timeoutMs: 60_000,
  async run(state, say) {
    await mergeAsReviewer(state.ctx, branchOf(state), say);
    say('SafeDeploy never merges its own changes; it watches for the merge.');
  },
};

export const awaitMitigated: Stage<TourState> = {
  title: 'Watch the incident become mitigated',
  timeoutMs: 90_000,
  async run(state, say) {
    const id = incidentOf(state).incidentId;
    const view = await waitForIncident(state.client, state.ctx, id, (v) => reached(v, 'mitigated'), say);
    state.incident = view;
    say(`incident ${id}: ${view.state} (${view.transitions.at(-1)?.reason ?? ''})`);
  },
};

export const removeFault: Stage<TourState> = {
  title: 'Remove the fault: the rolled-back version is healthy',
  timeoutMs: 15_000,
  async run({ ctx }, say) {
    say(`$ curl -X POST ${ctx.demoServiceUrl}/admin/faults -d '{"errorRate":0,"slowRate":0}'`);
    await setDemoFaults(ctx.demoServiceUrl, { errorRate: 0, slowRate: 0 });
    say(`${ctx.service.name} serves every request again.`);
  },
};

export const awaitResolved: Stage<TourState> = {
  title: 'Watch SafeDeploy resolve the incident after the cool-down',
  timeoutMs: 12 * 60_000,
  async run(state, say) {
    const id = incidentOf(state).incidentId;
    say('The 5m burn-rate window has to forget the errors (about 5 minutes), then every SLO must stay');
    say('normal for the cool-down before SafeDeploy resolves the incident by itself.');
    const view = await waitForIncident(state.client, state.ctx, id, (v) => reached(v, 'resolved'), say);
    state.incident = view;
    say(`incident ${id}: ${view.state} (${view.transitions.at(-1)?.reason ?? ''})`);
  },
};

export const recordPostmortem: Stage<TourState> = {
  title: 'Record the postmortem',
  timeoutMs: 2 * 60_000,
  async run(state, say) {
    const { ctx } = state;
    const id = incidentOf(state).incidentId;
    const url = `https://wiki.example.com/postmortems/${id}`;
    const items = [
      '--action-item',
      'gate promotion on the canary error rate',
      '--action-item',
      'load-test checkout releases',
    ];
    await safedeploy(
      ctx,
      ['incident', 'postmortem', id, '--url', url, ...items, '--by', ctx.approver, '--key', ctx.approverKey],
      say,
    );
    state.incident = await waitForIncident(
      state.client,
      ctx,
      id,
      (v) => reached(v, 'postmortem-complete'),
      say,
    );
  },
};

export const summarize: Stage<TourState> = {
  title: "Done: the incident's record and the audit chain",
  timeoutMs: 90_000,
  async run(state, say) {
    const { ctx } = state;
    const id = incidentOf(state).incidentId;
    await safedeploy(ctx, ['incident', 'show', id], say);
    await safedeploy(ctx, ['audit', 'verify', '--data-dir', ctx.dataDir], say);
    say(`Evidence: ${ctx.dataDir}/evidence/${id}/`);
    say(`Web UI: ${workflowLink(ctx, workflowIds.postmortem(id))}`);
  },
};

function branchOf(state: TourState): string {
  if (!state.branch) throw new Error('no branch yet (the approval stage did not finish)');
  return state.branch;
}
