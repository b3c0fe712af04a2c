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
  isCancellation,
  startChild,
} from '@temporalio/workflow';
import type { ServiceObservation } from '../src/evaluation/observation';
import { incidentIdFor, workflowIds } from '../src/incident/ids';
import { isActive } from '../src/incident/lifecycle';
import type { Proposal } from '../src/incident/proposals';
import { actuating, watching } from './activities';
import { flush } from './outbox';
import { IncidentRecord, SAFEDEPLOY_ACTOR } from './incident-record';
import { registerIncidentHandlers, type IncidentSession } from './incident-handlers';
import type { IncidentInput, IncidentView } from './messages';
import { postmortemWorkflow } from './postmortem';
import { newProposal, primaryProposalType, proposalBody } from './proposal-steps';

export async function incidentWorkflow(input: IncidentInput): Promise<IncidentView> {
  const session: IncidentSession = { input, record: undefined };
  registerIncidentHandlers(session, (first) => openIncident(input, first));
  // Signal-with-start delivers the triggering observation together with the start.
  if (!(await condition(() => session.record !== undefined, '1 minute'))) {
    throw ApplicationFailure.nonRetryable('incident started without an observation (use signal-with-start)');
  }
  const record = session.record!;
  const watchers = new CancellationScope();
  while (isActive(record.state)) {
    await flush(record);
    await proposeWhenDue(record, input);
    await openApproved(record, watchers, input);
    expireProposals(record);
    if (await resolvedAfterRecovery(record, input)) continue;
    await condition(() => hasWork(record) || !isActive(record.state) || recovered(record), nextDeadline(record), {
      summary: 'wait for an approval, an evaluation or a proposal to expire',
    });
  }
  watchers.cancel();
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
    incidentId: incidentIdFor(input.service, first.evaluatedAt),
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

/** The incident's one rollback proposal (or, for a policy incident, its block-promotion proposal). */
async function proposeWhenDue(record: IncidentRecord, input: IncidentInput): Promise<void> {
  if (!proposalDue(record)) return;
  const type = primaryProposalType(record.view.kind);
  const v = record.view;
  record.planned.add(type);
  const context = v.context;
  if (!context?.rollback || !context.rollout) {
    record.note('proposal', SAFEDEPLOY_ACTOR, `no ${type} proposal: the catalog defines no rollback repository or rollout for ${v.service}`);
    return;
  }
  let target: Proposal['target'];
  if (type === 'rollback-rollout') {
    const plan = await actuating.planRollback.executeWithOptions({ summary: `choose the rollback target for ${v.service}` }, [
      { context, lastHealthyAt: v.lastHealthyAt ?? v.detectedAt },
    ]);
    if (plan.kind === 'nothing') {
      record.note('proposal', SAFEDEPLOY_ACTOR, `no rollback proposed: ${plan.reason}`);
      return;
    }
    target = plan.target;
  }
  const proposal = newProposal(record, type, input.timings.proposalTtlMs, target);
  v.proposals.push(proposal);
  record.note('proposal', SAFEDEPLOY_ACTOR, `proposed ${type} (${proposal.rationale}); expires ${proposal.expiresAt}`);
  record.queueEvidence(`proposal-${type}.json`, proposal);
  record.queueAudit('proposals', { type: 'proposed', proposalId: proposal.id, proposal: type, service: v.service, target: target ?? null });
  record.publish();
}

async function openApproved(record: IncidentRecord, watchers: CancellationScope, input: IncidentInput): Promise<void> {
  for (const proposal of record.view.proposals.filter((p) => p.state === 'approved')) {
    const approval = proposal.decisions.find((d) => d.accepted && d.action === 'approve')!;
    try {
      const result = await actuating.openProposalChange.executeWithOptions(
        { summary: `open the ${proposal.type} change for ${record.view.service}` },
        [{ proposal, context: record.view.context!, body: proposalBody(record.view, proposal, approval), lastHealthyAt: record.view.lastHealthyAt ?? record.view.detectedAt }],
      );
      if (result.status === 'skipped') {
        proposal.state = 'skipped';
        record.answer(approval.requestId, true, `approved; nothing to change: ${result.reason}`);
      } else {
        proposal.state = 'opened';
        proposal.change = result.change;
        const label = result.change.number !== undefined ? `pull request #${result.change.number}` : `branch ${result.change.branch}`;
        record.answer(approval.requestId, true, `approved; ${label}: ${result.change.url}`);
        record.note('change', SAFEDEPLOY_ACTOR, `opened ${label}: ${result.change.url}`);
        record.queueEvidence(`pull-request-${proposal.type}.json`, result.change);
        record.queueAudit('proposals', { type: 'change-opened', proposalId: proposal.id, change: result.change });
        void watchers.run(() => watchChange(record, proposal, input));
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      proposal.state = 'failed';
      proposal.error = err.cause?.message ?? err.message;
      record.answer(approval.requestId, true, `approved, but the change could not be opened: ${proposal.error}`);
      record.queueAudit('proposals', { type: 'change-failed', proposalId: proposal.id, error: proposal.error });
    }
    record.publish();
  }
}

/** Waits for the change to be merged or closed (a heartbeating activity polls the provider). */
async function watchChange(record: IncidentRecord, proposal: Proposal, input: IncidentInput): Promise<void> {
  try {
    const result = await watching.awaitChangeResolution.executeWithOptions(
      { summary: `wait for ${proposal.change!.url} to be merged` },
      [{ context: record.view.context!, branch: proposal.change!.branch, pollMs: input.timings.mergePollMs }],
    );
    proposal.state = result.state;
    if (result.mergeCommit) proposal.change = { ...proposal.change!, mergeCommit: result.mergeCommit };
    record.note('change', 'reviewer', `${proposal.change!.url} was ${result.state}`);
    record.queueAudit('proposals', { type: `change-${result.state}`, proposalId: proposal.id, mergeCommit: result.mergeCommit ?? null });
    record.queueEvidence(`pull-request-${proposal.type}.json`, proposal.change);
    if (result.state === 'merged' && proposal.type === primaryProposalType(record.view.kind) && isActive(record.state) && record.state !== 'mitigated') {
      record.transition('mitigated', SAFEDEPLOY_ACTOR, `${proposal.type} change merged (${result.mergeCommit ?? proposal.change!.headSha})`);
    }
    record.publish();
  } catch (err) {
    if (!isCancellation(err)) throw err;
  }
}

function expireProposals(record: IncidentRecord): void {
  const now = record.now();
  for (const p of record.view.proposals) {
    if (p.state === 'pending' && now >= p.expiresAt) {
      p.state = 'expired';
      record.note('proposal', SAFEDEPLOY_ACTOR, `proposal ${p.id} expired unapproved`);
      record.queueAudit('proposals', { type: 'expired', proposalId: p.id });
      record.publish();
    }
  }
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
  const interrupted = await condition(() => !recovered(record) || !isActive(record.state) || hasWork(record), cooldown, {
    summary: `cool-down: resolve if ${record.view.service} stays normal`,
  });
  if (interrupted) return !isActive(record.state);
  const why = record.view.kind === 'policy' ? 'the catalog entry is fixed' : `every SLO stayed normal for ${Math.round(cooldown / 1000)}s`;
  record.transition('resolved', SAFEDEPLOY_ACTOR, why);
  record.queueEvidence('resolution.json', { by: SAFEDEPLOY_ACTOR, reason: why, at: record.now(), latest: record.view.latest ?? null });
  return true;
}

/** The primary proposal is planned once: at detection, or when a slow burn escalates. */
function proposalDue(record: IncidentRecord): boolean {
  const v = record.view;
  if (record.planned.has(primaryProposalType(v.kind)) || !isActive(v.state)) return false;
  return v.kind === 'policy' || v.severity === 'fast-burn' || v.severity === 'exhausted';
}

function hasWork(record: IncidentRecord): boolean {
  return record.hasOutbox() || record.view.proposals.some((p) => p.state === 'approved') || proposalDue(record);
}

function nextDeadline(record: IncidentRecord): number {
  const now = Date.parse(record.now());
  const expiries = record.view.proposals.filter((p) => p.state === 'pending').map((p) => Date.parse(p.expiresAt) - now);
  return Math.max(1, Math.min(24 * 3_600_000, ...expiries));
}

async function handOffToPostmortem(record: IncidentRecord, input: IncidentInput): Promise<void> {
  await startChild(postmortemWorkflow, {
    workflowId: workflowIds.postmortem(record.view.incidentId),
    args: [{ view: record.view, timings: input.timings }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    staticSummary: `Postmortem of ${record.view.incidentId}`,
  });
}
