// An incident, from detection to resolution. It waits on signals from humans (acknowledge, approve,
// reject, mitigate, resolve) and from the fleet evaluation (observe); it opens the approved change
// through an activity, is mitigated when that change is merged, resolves after a cool-down of normal
// SLOs, then hands itself to a postmortem workflow so that a new incident can start.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  patched,
  startChild,
} from '@temporalio/workflow';
import type { ServiceObservation } from '../src/evaluation/observation';
import { incidentIdFor } from '../src/incident/ids';
import { workflowIds } from './messages';
import { isActive } from '../src/incident/lifecycle';
import { promotionMayBeProposed } from '../src/incident/promotion';
import type { ProposalType } from '../src/gitops/proposal-types';
import type { Proposal } from '../src/incident/proposals';
import { actuating } from './proxies';
import { expireProposals, nextDeadline, openApproved } from './proposal-flow';
import { flush } from './outbox';
import { IncidentRecord, SAFEDEPLOY_ACTOR } from './incident-record';
import { registerIncidentHandlers, type IncidentSession } from './incident-handlers';
import type { IncidentInput, IncidentView } from './messages';
import { postmortemWorkflow } from './postmortem';
import { SafeDeployKind, SafeDeployService } from '../src/temporal/search-attributes';
import { addProposal, primaryProposalType } from './proposal-steps';
import {
  attributedRationale,
  attributes,
  locateOnset,
  measureSpend,
  planAttributedRollback,
} from './attribution-flow';

export async function incidentWorkflow(input: IncidentInput): Promise<IncidentView> {
  const session: IncidentSession = { input, record: undefined };
  registerIncidentHandlers(session, (first) => openIncident(input, first));
  // Signal-with-start delivers the triggering observation together with the start.
  if (!(await condition(() => session.record !== undefined, '1 minute'))) {
    throw ApplicationFailure.nonRetryable('incident started without an observation (use signal-with-start)');
  }
  const record = session.record!;
  record.attributing = attributes(record);
  const watchers = new CancellationScope();
  while (isActive(record.state)) {
    await flush(record);
    if (record.attributing) {
      await locateOnset(record);
      await measureSpend(record);
    }
    await proposeWhenDue(record, input);
    await openApproved(record, watchers, input.timings);
    expireProposals(record);
    if (await resolvedAfterRecovery(record, input)) continue;
    await condition(
      () => hasWork(record) || !isActive(record.state) || recovered(record),
      nextDeadline(record),
      {
        summary: 'wait for an approval, an evaluation or a proposal to expire',
      },
    );
  }
  watchers.cancel();
  if (record.attributing) await measureSpend(record);
  await flush(record);
  await handOffToPostmortem(record, input);
  return record.view;
}

/** The record of a newly detected incident, from the observation that opened it. */
function openIncident(input: IncidentInput, first: ServiceObservation): IncidentRecord {
  const record = new IncidentRecord(openView(input, first), 'incident');
  record.detect(detectionReason(first));
  record.queueEvidence('decision.json', { observation: first, lastHealthyAt: input.lastHealthyAt ?? null });
  record.queueEvidence('slo.json', first.detail?.slos ?? []);
  record.queueEvidence(
    'budget.json',
    (first.detail?.slos ?? []).map((s) => ({ slo: s.name, objective: s.objective, remaining: s.remaining })),
  );
  return record;
}

function openView(input: IncidentInput, first: ServiceObservation): IncidentView {
  return {
    incidentId: incidentIdFor(input.service, first.evaluatedAt, input.kind),
    service: input.service,
    kind: input.kind,
    state: 'detected',
    severity: first.severity,
    detectedAt: first.evaluatedAt,
    ...(input.lastHealthyAt ? { lastHealthyAt: input.lastHealthyAt } : {}),
    transitions: [],
    proposals: [],
    timeline: [],
    ...(first.detail ? { context: first.detail.context, slos: first.detail.slos } : {}),
    latest: first,
  };
}

function detectionReason(o: ServiceObservation): string {
  const reasons = o.detail?.reasons.map((r) => `[${r.code}] ${r.message}`) ?? [];
  return reasons.length > 0 ? reasons.join('; ') : `severity ${o.severity}`;
}

/**
 * The proposals an active incident makes, each at most once: its primary one (a rollback for an SLO
 * incident, a block-promotion for a policy incident), and a block-promotion when the service burns
 * while its canary is in progress (Argo Rollouts' rollout_info says so).
 */
async function proposeWhenDue(record: IncidentRecord, input: IncidentInput): Promise<void> {
  for (const type of dueProposals(record)) {
    record.planned.add(type);
    const v = record.view;
    if (!v.context?.rollback || !v.context.rollout) {
      record.note(
        'proposal',
        SAFEDEPLOY_ACTOR,
        `no ${type} proposal: the catalog defines no rollback repository or rollout for ${v.service}`,
      );
      continue;
    }
    let target: Proposal['target'];
    if (type === 'rollback-rollout' && record.attributing) {
      target = await planAttributedRollback(record);
      if (!target) continue;
      addProposal(record, type, input.timings.proposalTtlMs, target, attributedRationale(record));
      continue;
    }
    if (type === 'rollback-rollout') {
      const plan = await actuating.planRollback
        .executeWithOptions({ summary: `choose the rollback target for ${v.service}` }, [
          { context: v.context, lastHealthyAt: v.lastHealthyAt ?? v.detectedAt },
        ])
        // The repository stayed unreachable through every retry: record it, keep the incident alive.
        .catch((err: unknown) => {
          if (!(err instanceof ActivityFailure)) throw err;
          return {
            kind: 'nothing' as const,
            reason: `the environment repository could not be read: ${err.cause?.message ?? err.message}`,
          };
        });
      if (plan.kind === 'nothing') {
        record.note('proposal', SAFEDEPLOY_ACTOR, `no rollback proposed: ${plan.reason}`);
        continue;
      }
      target = plan.target;
    }
    addProposal(record, type, input.timings.proposalTtlMs, target);
  }
}

function dueProposals(record: IncidentRecord): ProposalType[] {
  const v = record.view;
  if (!isActive(v.state)) return [];
  const denying = v.kind === 'policy' || v.severity === 'fast-burn' || v.severity === 'exhausted';
  const due: ProposalType[] = [];
  if (denying) due.push(primaryProposalType(v.kind));
  if (v.kind === 'slo' && denying && v.latest?.canary) due.push('block-promotion');
  return due.filter((type) => !record.planned.has(type));
}

function recovered(record: IncidentRecord): boolean {
  const latest = record.view.latest;
  if (!latest) return false;
  return record.view.kind === 'policy' ? latest.violations.length === 0 : latest.severity === 'normal';
}

/**
 * SLO incidents resolve after every SLO stayed normal through the cool-down (a durable timer);
 * policy incidents as soon as the catalog is fixed.
 */
async function resolvedAfterRecovery(record: IncidentRecord, input: IncidentInput): Promise<boolean> {
  if (!recovered(record) || !isActive(record.state)) return false;
  const cooldown = record.view.kind === 'policy' ? 0 : input.timings.cooldownMs;
  const interrupted = await condition(
    () => !recovered(record) || !isActive(record.state) || hasWork(record),
    cooldown,
    {
      summary: `cool-down: resolve if ${record.view.service} stays normal`,
    },
  );
  if (interrupted) return !isActive(record.state);
  const why =
    record.view.kind === 'policy'
      ? 'the catalog entry is fixed'
      : `every SLO stayed normal for ${Math.round(cooldown / 1000)}s`;
  record.transition('resolved', SAFEDEPLOY_ACTOR, why);
  record.queueEvidence('resolution.json', {
    by: SAFEDEPLOY_ACTOR,
    reason: why,
    at: record.now(),
    latest: record.view.latest ?? null,
  });
  proposePromotion(record, input);
  return true;
}

/** The primary proposal is planned once: at detection, or when a slow burn escalates. */
/** A canary SafeDeploy paused, on a service whose gate allows again: propose resuming it. */
function proposePromotion(record: IncidentRecord, input: IncidentInput): void {
  const v = record.view;
  const paused = v.proposals.some((p) => p.type === 'block-promotion' && p.state === 'merged');
  if (paused && gateAllowsProposing(v.latest) && !record.planned.has('promote-canary')) {
    record.planned.add('promote-canary');
    addProposal(record, 'promote-canary', input.timings.proposalTtlMs);
  }
}

function gateAllowsProposing(latest: IncidentView['latest']): boolean {
  // Before burning-unconfirmed holds existed, only allow proposed; histories recorded then replay so.
  if (!patched('promote-canary-through-unconfirmed-hold')) return latest?.verdict === 'allow';
  return promotionMayBeProposed(latest);
}

function hasWork(record: IncidentRecord): boolean {
  return (
    record.hasOutbox() ||
    record.view.proposals.some((p) => p.state === 'approved') ||
    dueProposals(record).length > 0
  );
}

async function handOffToPostmortem(record: IncidentRecord, input: IncidentInput): Promise<void> {
  await startChild(postmortemWorkflow, {
    workflowId: workflowIds.postmortem(record.view.incidentId),
    args: [{ view: record.view, timings: input.timings }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    // Children inherit no search attributes: set the ones listings filter on.
    typedSearchAttributes: [
      { key: SafeDeployService, value: record.view.service },
      { key: SafeDeployKind, value: 'incident' },
    ],
    staticSummary: `Postmortem of ${record.view.incidentId}`,
  });
}
