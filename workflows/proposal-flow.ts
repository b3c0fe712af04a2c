// How a proposal moves once humans act on it, shared by the incident and its postmortem phase:
// an approved proposal's change is opened by an activity, then watched until a reviewer merges or
// closes it; a pending proposal expires after its TTL.
import type { CancellationScope } from '@temporalio/workflow';
import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import { isActive } from '../src/incident/lifecycle';
import { proposalId, type HumanDecision, type Proposal } from '../src/incident/proposals';
import { actuating, watching } from './proxies';
import type { IncidentRecord } from './incident-record';
import { SAFEDEPLOY_ACTOR } from './incident-record';
import type { IncidentTimings } from './messages';
import { primaryProposalType, proposalBody } from './proposal-steps';

export async function openApproved(
  record: IncidentRecord,
  watchers: CancellationScope,
  timings: IncidentTimings,
): Promise<void> {
  for (const proposal of record.view.proposals.filter((p) => p.state === 'approved')) {
    // The approval that completed the quorum waits for this answer (earlier ones were answered final).
    const approval = proposal.decisions.filter((d) => d.accepted && d.action === 'approve').at(-1)!;
    try {
      const result = await actuating.openProposalChange.executeWithOptions(
        { summary: `open the ${proposal.type} change for ${record.view.service}` },
        [
          {
            proposal,
            context: record.view.context!,
            body: proposalBody(record.view, proposal, approval),
            lastHealthyAt: record.view.lastHealthyAt ?? record.view.detectedAt,
          },
        ],
      );
      if (result.status === 'stale') {
        supersede(record, proposal, approval, result.reason);
      } else if (result.status === 'skipped') {
        proposal.state = 'skipped';
        record.answer(approval.requestId, true, `approved; nothing to change: ${result.reason}`);
      } else {
        proposal.state = 'opened';
        proposal.change = result.change;
        const label =
          result.change.number !== undefined
            ? `pull request #${result.change.number}`
            : `branch ${result.change.branch}`;
        record.answer(approval.requestId, true, `approved; ${label}: ${result.change.url}`);
        record.note('change', SAFEDEPLOY_ACTOR, `opened ${label}: ${result.change.url}`);
        record.queueEvidence(`pull-request-${proposal.type}.json`, result.change);
        record.queueAudit('proposals', {
          type: 'change-opened',
          proposalId: proposal.id,
          change: result.change,
        });
        void watchers.run(() => watchChange(record, proposal, timings));
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      proposal.state = 'failed';
      proposal.error = err.cause?.message ?? err.message;
      // What failed, by type (GitOpsInputError, GitOpsStepFailed, …), beside why (the message).
      if (err.cause instanceof ApplicationFailure && err.cause.type) proposal.errorType = err.cause.type;
      record.answer(
        approval.requestId,
        true,
        `approved, but the change could not be opened: ${proposal.error}`,
      );
      record.queueAudit('proposals', {
        type: 'change-failed',
        proposalId: proposal.id,
        error: proposal.error,
        ...(proposal.errorType ? { errorType: proposal.errorType } : {}),
      });
    }
    record.publish();
  }
}

/**
 * The approver saw a rollback planned against a base whose pod template has since changed: the
 * approval is refused, and the incident proposes afresh against the new base (a new proposal id),
 * so nobody approves one change and gets another.
 */
function supersede(
  record: IncidentRecord,
  proposal: Proposal,
  approval: HumanDecision,
  reason: string,
): void {
  proposal.state = 'superseded';
  proposal.error = reason;
  approval.accepted = false;
  approval.refusal = reason;
  const sequence = record.view.proposals.filter((p) => p.type === proposal.type).length + 1;
  const fresh = proposalId(record.view.incidentId, proposal.type, sequence);
  record.planned.delete(proposal.type);
  record.note('refusal', approval.by, `approve refused: ${reason}; SafeDeploy proposes ${fresh} afresh`);
  record.queueEvidence(`approval-${approval.requestId}.json`, { proposal: proposal.id, ...approval });
  record.queueAudit('approvals', {
    type: 'refused',
    action: 'approve',
    incidentId: record.view.incidentId,
    proposalId: proposal.id,
    by: approval.by,
    reason: approval.reason,
    refusal: reason,
  });
  record.answer(
    approval.requestId,
    false,
    `refused: ${reason}; a fresh proposal ${fresh} is made against the new base: review and approve that one`,
  );
}

/** Waits for the change to be merged or closed (a heartbeating activity polls the provider). */
async function watchChange(
  record: IncidentRecord,
  proposal: Proposal,
  timings: IncidentTimings,
): Promise<void> {
  try {
    const result = await watching.awaitChangeResolution.executeWithOptions(
      { summary: `wait for ${proposal.change!.url} to be merged` },
      [{ context: record.view.context!, branch: proposal.change!.branch, pollMs: timings.mergePollMs }],
    );
    proposal.state = result.state;
    if (result.mergeCommit) proposal.change = { ...proposal.change!, mergeCommit: result.mergeCommit };
    record.note('change', 'reviewer', `${proposal.change!.url} was ${result.state}`);
    record.queueAudit('proposals', {
      type: `change-${result.state}`,
      proposalId: proposal.id,
      mergeCommit: result.mergeCommit ?? null,
    });
    record.queueEvidence(`pull-request-${proposal.type}.json`, proposal.change);
    if (
      result.state === 'merged' &&
      proposal.type === primaryProposalType(record.view.kind) &&
      isActive(record.state) &&
      record.state !== 'mitigated'
    ) {
      record.transition(
        'mitigated',
        SAFEDEPLOY_ACTOR,
        `${proposal.type} change merged (${result.mergeCommit ?? proposal.change!.headSha})`,
      );
    }
    record.publish();
  } catch (err) {
    if (!isCancellation(err)) throw err;
  }
}

export function expireProposals(record: IncidentRecord): void {
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

/** Milliseconds until the next pending proposal expires (at most a day). */
export function nextDeadline(record: IncidentRecord): number {
  const now = Date.parse(record.now());
  const expiries = record.view.proposals
    .filter((p) => p.state === 'pending')
    .map((p) => Date.parse(p.expiresAt) - now);
  return Math.max(1, Math.min(24 * 3_600_000, ...expiries));
}
