// The first half of the tour: a healthy stack, a bad release, errors, and SafeDeploy noticing.
import { attributionSummary } from '../../incident/attribution';
import { findIncident } from '../../operator/incidents';
import { SEARCH_ATTRIBUTE_NAMES } from '../../temporal/search-attributes';
import { fleetQuery, workflowIds } from '../../../workflows/messages';
import { setDemoFaults } from '../../demo-service/client';
import { safedeploy } from './commands';
import { workflowLink, workflowListLink, type DemoContext } from './context';
import { releaseNextVersion } from './env-moves';
import type { Say, Stage } from './runner';
import { incidentOf, isNewActiveIncident, ROLLBACK, type TourState } from './state';
import { sloLine, waitForIncident } from './watch';

/** What the tour keeps failing once the incident is open: above 14.4× a 99.9% budget over 5m. */
const SUSTAINED_ERROR_RATE = 0.03;

export const checkStack: Stage<TourState> = {
  title: 'Check the local stack',
  timeoutMs: 60_000,
  async run({ ctx, client }, say) {
    const response = await fetch(`${ctx.demoServiceUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`demo service ${ctx.demoServiceUrl} answered ${response.status}`);
    const fleet = await client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery);
    const seen = fleet.services[ctx.service.name];
    if (!seen)
      throw new Error(`the fleet evaluation has not seen ${ctx.service.name} yet; is the worker running?`);
    if (seen.severity !== 'normal') {
      throw new Error(
        `${ctx.service.name} is ${seen.severity} now; run the tour when \`safedeploy evaluate\` shows it normal`,
      );
    }
    const open = await findIncident(client, ctx.service.name);
    if (open && ['detected', 'investigating', 'mitigated'].includes(open.view.state)) {
      throw new Error(
        `incident ${open.view.incidentId} is still ${open.view.state}; finish it first (safedeploy incident show ${open.view.incidentId})`,
      );
    }
    say(
      `Temporal ${ctx.temporalAddress}, Prometheus ${ctx.prometheusUrl}, demo service ${ctx.demoServiceUrl}`,
    );
    say(`fleet evaluation: ${fleet.cycles} cycles so far; ${await sloLine(ctx)}`);
  },
};

export const releaseBadVersion: Stage<TourState> = {
  title: 'Release a new version of checkout (it will turn out bad)',
  timeoutMs: 60_000,
  async run(state, say) {
    state.releasedAt = new Date().toISOString();
    state.release = await releaseNextVersion(state.ctx, say);
    say('Argo CD would now roll it out; in this demo the demo service plays the new version.');
  },
};

export const injectErrors: Stage<TourState> = {
  title: 'Inject errors into the demo service',
  timeoutMs: 15_000,
  async run({ ctx }, say) {
    say(`$ curl -X POST ${ctx.demoServiceUrl}/admin/faults -d '{"errorRate":${ctx.errorRate}}'`);
    const faults = await setDemoFaults(ctx.demoServiceUrl, { errorRate: ctx.errorRate });
    say(`now ${Math.round(faults.errorRate * 100)}% of ${ctx.service.name}'s requests fail with HTTP 500`);
    say('SafeDeploy opens an incident when the burn rate exceeds 14.4× over both 1h and 5m (2% of the');
    say('30-day budget in an hour): with these errors that takes a minute or two.');
  },
};

export const awaitIncident: Stage<TourState> = {
  title: 'Wait for SafeDeploy to open an incident',
  timeoutMs: 5 * 60_000,
  async run(state, say) {
    const { ctx, client } = state;
    const view = await waitForIncident(
      client,
      ctx,
      ctx.service.name,
      (v) => isNewActiveIncident(state, v),
      say,
    );
    state.incident = view;
    say(`incident ${view.incidentId}: ${view.state}, severity ${view.severity}`);
    say(`why: ${view.transitions[0]?.reason ?? 'see the incident'}`);
    await sustainErrors(ctx, say);
    say(`Web UI: ${workflowLink(ctx, workflowIds.incident(ctx.service.name))}`);
    say(
      `all of ${ctx.service.name}'s workflows: ${workflowListLink(ctx, `${SEARCH_ATTRIBUTE_NAMES.service}="${ctx.service.name}"`)}`,
    );
  },
};

export const showProposal: Stage<TourState> = {
  title: 'Show the rollback proposal',
  timeoutMs: 90_000,
  async run(state, say) {
    const { ctx, client } = state;
    const id = incidentOf(state).incidentId;
    const view = await waitForIncident(
      client,
      ctx,
      id,
      (v) => v.proposals.length > 0 || noRollbackNote(v) !== undefined,
      say,
    );
    const refusal = noRollbackNote(view);
    if (view.proposals.length === 0 && refusal) throw new Error(refusal);
    state.incident = view;
    await safedeploy(ctx, ['proposal', 'list', '--service', ctx.service.name], say);
    const proposal = view.proposals.find((p) => p.type === ROLLBACK);
    if (!proposal) throw new Error(`incident ${id} has no ${ROLLBACK} proposal`);
    say(`rationale: ${proposal.rationale}`);
    if (view.attribution) say(`attribution: ${attributionSummary(view.attribution)}`);
    if (proposal.target) {
      const images = proposal.target.images?.map((i) => i.image).join(', ');
      say(
        `target: revision ${proposal.target.sha.slice(0, 12)} of ${proposal.target.date}${images ? ` (${images})` : ''}`,
      );
    }
    say(`It stays inert until one of ${ctx.service.approvers.join(', ')} approves it.`);
  },
};

/**
 * Keeps the incident burning while the tour pauses, without piling up errors: at the injected rate,
 * a few minutes of lingering would also trip the 30m/6h rule, and resolving would then take ~30 minutes.
 */
async function sustainErrors(ctx: DemoContext, say: Say): Promise<void> {
  if (ctx.errorRate <= SUSTAINED_ERROR_RATE) return;
  await setDemoFaults(ctx.demoServiceUrl, { errorRate: SUSTAINED_ERROR_RATE });
  say(
    `(tour: until the rollback, ${SUSTAINED_ERROR_RATE * 100}% of requests keep failing: still a fast burn, so the`,
  );
  say(' incident stays open however long you pause, without errors the 30m/6h windows would remember)');
}

function noRollbackNote(view: { timeline: { message: string }[] }): string | undefined {
  return view.timeline.find((e) => e.message.startsWith('no rollback proposed'))?.message;
}
