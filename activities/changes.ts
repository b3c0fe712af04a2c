// The GitOps side of a proposal: choose the rollback target, open the approved change, and wait for
// a human to merge or close it. Each is idempotent, so a retry after a crash converges.
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import type { ServiceContext } from '../src/evaluation/observation';
import { changeBranch } from '../src/gitops/branch';
import { providerFor } from '../src/gitops/factory';
import { changeTitle, renderChangeBody, type ChangeEvidence } from '../src/gitops/pr-body';
import { GitOpsInputError, type GitProvider } from '../src/gitops/provider';
import { podTemplateMoved } from '../src/gitops/attribution';
import { findRollbackTarget } from '../src/gitops/rollback-target';
import { proposePause, proposeRollback } from '../src/gitops/steps';
import type { ChangeRef, Proposal } from '../src/incident/proposals';
import type { ActivityDeps } from './index';
import { nonRetryableFailure } from './failures';

/** The type of the failure an actuator step that cannot succeed ends in (src/gitops/step-result.ts). */
export const STEP_FAILED = 'GitOpsStepFailed';

export type RollbackPlan =
  { kind: 'target'; target: { sha: string; date: string } } | { kind: 'nothing'; reason: string };

export type OpenChangeOutcome =
  | { status: 'succeeded'; change: ChangeRef }
  | { status: 'skipped'; reason: string }
  /** The base branch's pod template moved since the proposal was made: it must be proposed afresh. */
  | { status: 'stale'; reason: string };

export interface OpenChangeInput {
  proposal: Proposal;
  context: ServiceContext;
  body: ChangeEvidence;
  /** For rollbacks: restore the images the base branch had at this time. */
  lastHealthyAt?: string;
}

export function createChangeActivities({ providers, secrets }: ActivityDeps) {
  const providerOf = (
    context: ServiceContext,
  ): { provider: GitProvider; manifest: string; rollout: NonNullable<ServiceContext['rollout']> } => {
    if (!context.rollback || !context.rollout)
      throw nonRetryableFailure(
        new GitOpsInputError('the catalog defines no rollback repository or rollout'),
      );
    return {
      provider: providerFor(context.rollback.repo, providers),
      manifest: context.rollback.manifest,
      rollout: context.rollout,
    };
  };

  return {
    async planRollback({
      context,
      lastHealthyAt,
    }: {
      context: ServiceContext;
      lastHealthyAt: string;
    }): Promise<RollbackPlan> {
      try {
        const { provider, manifest, rollout } = providerOf(context);
        const target = await guard(() =>
          findRollbackTarget(provider, manifest, new Date(lastHealthyAt), rollout),
        );
        if (target.status === 'nothing-to-roll-back') return { kind: 'nothing', reason: target.message };
        return { kind: 'target', target: { sha: target.revision.sha, date: target.revision.date } };
      } catch (err) {
        if (err instanceof GitOpsInputError) return { kind: 'nothing', reason: err.message };
        if (err instanceof ApplicationFailure && err.type === 'GitOpsInputError')
          return { kind: 'nothing', reason: err.message };
        throw err;
      }
    },

    async openProposalChange({
      proposal,
      context,
      body,
      lastHealthyAt,
    }: OpenChangeInput): Promise<OpenChangeOutcome> {
      const { provider, manifest, rollout } = providerOf(context);
      const step = {
        provider,
        manifestPath: manifest,
        rollout,
        branch: changeBranch(proposal.incidentId, proposal.type),
        title: changeTitle({
          service: proposal.service,
          proposalType: proposal.type,
          incidentId: proposal.incidentId,
        }),
        body: renderChangeBody(body, secrets),
      };
      // An attributed rollback restores exactly the revision the approver saw, on the base it was
      // planned against: a pod-template change since then makes it a different change.
      const planned = proposal.type === 'rollback-rollout' ? proposal.target : undefined;
      if (planned?.base !== undefined) {
        const moved = await guard(() => podTemplateMoved(provider, manifest, rollout, planned.base!));
        if (moved !== null) return { status: 'stale', reason: moved };
      }
      const result = await guard(() =>
        proposal.type === 'rollback-rollout'
          ? proposeRollback({
              ...step,
              lastHealthy: new Date(lastHealthyAt ?? proposal.target?.date ?? proposal.createdAt),
              ...(planned?.base !== undefined ? { targetSha: planned.sha } : {}),
            })
          : proposePause({ ...step, paused: proposal.type === 'block-promotion' }),
      );
      if (result.status === 'failed')
        throw ApplicationFailure.create({
          message: result.message,
          type: STEP_FAILED,
          nonRetryable: true,
          details: [{ reason: result.reason }],
        });
      if (result.status === 'skipped') return { status: 'skipped', reason: result.message };
      const c = result.change;
      return {
        status: 'succeeded',
        change: {
          branch: c.branch,
          url: c.url,
          headSha: c.headSha,
          ...(c.number !== undefined ? { number: c.number } : {}),
        },
      };
    },

    /** Polls the provider until the change is merged or closed; heartbeats so a lost worker is noticed. */
    async awaitChangeResolution({
      context,
      branch,
      pollMs,
    }: {
      context: ServiceContext;
      branch: string;
      pollMs: number;
    }): Promise<{ state: 'merged' | 'closed'; mergeCommit?: string }> {
      const { provider } = providerOf(context);
      for (;;) {
        const change = await guard(() => provider.getChange(branch));
        if (change === null) return { state: 'closed' };
        if (change.state !== 'open')
          return { state: change.state, ...(change.mergeCommit ? { mergeCommit: change.mergeCommit } : {}) };
        heartbeat({ branch, state: change.state });
        await Context.current().sleep(pollMs);
      }
    },
  };
}

/**
 * Bad input is terminal: Temporal must not retry it; other errors stay retryable. Heartbeats while
 * the work runs, so a worker killed mid-push is noticed within the heartbeat timeout and the
 * (idempotent) work is retried elsewhere instead of waiting for the start-to-close timeout.
 */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  const ticker = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } catch (err) {
    if (err instanceof GitOpsInputError) throw nonRetryableFailure(err);
    throw err;
  } finally {
    clearInterval(ticker);
  }
}

const HEARTBEAT_EVERY_MS = 2_000;
