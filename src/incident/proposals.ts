// Proposals are inert until an authorised approver approves them. These pure rules decide whether a
// human action on a proposal is accepted; the incident workflow records every decision either way.
import type { ProposalType } from '../gitops/proposal-types';
import type { ImageRef } from './attribution';

export type ProposalState =
  /** Waiting for an approver. */
  | 'pending'
  /** Approved; the change is being opened. */
  | 'approved'
  /** The pull request (or branch) is open. */
  | 'opened'
  | 'merged'
  /** Closed without merging on the provider. */
  | 'closed'
  | 'rejected'
  | 'expired'
  /** Opening the change failed terminally (bad manifest, repository refused). */
  | 'failed'
  /** Nothing to change: e.g. the manifest already matches the target. */
  | 'skipped'
  /** Approved, but the base branch's pod template moved since: replaced by a fresh proposal. */
  | 'superseded';

export interface ChangeRef {
  branch: string;
  url: string;
  number?: number;
  headSha: string;
  mergeCommit?: string;
}

/** The revision a rollback restores; attributed proposals also say what they replace and why. */
export interface RollbackTarget {
  sha: string;
  date: string;
  /** Images the rollback restores. */
  images?: ImageRef[];
  /** Images on the base branch when proposed. */
  currentImages?: ImageRef[];
  /** The newest manifest revision on the base branch when proposed: the change is made against it. */
  base?: string;
  /** The release blamed for the burn. */
  suspect?: { sha: string; date: string; author: string | null; subject: string | null };
}

export interface HumanDecision {
  requestId: string;
  action: 'approve' | 'reject';
  by: string;
  reason: string;
  at: string;
  accepted: boolean;
  /** Why it was refused, when it was. */
  refusal?: string;
  /** The signing key's fingerprint, when the decision was signed. */
  fingerprint?: string;
  /** False when accepted without a signature (governance.approvals.signatures: optional). */
  signed?: boolean;
}

export interface Proposal {
  id: string;
  type: ProposalType;
  incidentId: string;
  service: string;
  state: ProposalState;
  createdAt: string;
  expiresAt: string;
  /** Why SafeDeploy proposes it. */
  rationale: string;
  /** For rollbacks: the manifest revision to restore. */
  target?: RollbackTarget;
  change?: ChangeRef;
  decisions: HumanDecision[];
  /** With a quorum above 1: the distinct approvals given so far and the number needed. */
  approvals?: { given: number; needed: number };
  /** A terminal error from the actuator, for the operator. */
  error?: string;
  /** The failure's type (e.g. GitOpsInputError, GitOpsStepFailed), to tell bad input from a failed step. */
  errorType?: string;
}

/** The first proposal of a type keeps the plain id; a fresh one after a superseded one counts up. */
export function proposalId(incidentId: string, type: ProposalType, sequence = 1): string {
  return sequence > 1 ? `${incidentId}/${type}-${sequence}` : `${incidentId}/${type}`;
}

/** What a human action's id may look like: it names an evidence file, so no path characters. */
export const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface ActionRequest {
  requestId: string;
  by: string;
  reason: string;
  /** When the actor signed the statement (src/incident/action-statement.ts); with `signature`. */
  signedAt?: string;
  /** The actor's SSH signature (armored SSHSIG, namespace safedeploy) over that statement. */
  signature?: string;
}

/** How a human action was proven: the key that signed it, or that it was accepted unsigned. */
export type ActionProof =
  { signed: true; fingerprint: string; keyType: string; principals: string[] } | { signed: false };

/** Why an approval or rejection is refused, or null when it may proceed. */
export function refusalFor(
  proposal: Proposal | undefined,
  proposalRef: string,
  request: ActionRequest,
  approvers: readonly string[],
  now: string,
): string | null {
  if (!proposal) return `no proposal ${proposalRef} on this incident`;
  if (!approvers.includes(request.by)) return `${request.by} is not an approver of ${proposal.service}`;
  if (request.reason.trim() === '') return 'a reason is required';
  if (proposal.state !== 'pending') return `proposal ${proposal.id} is ${proposal.state}, not pending`;
  if (now >= proposal.expiresAt) return `proposal ${proposal.id} expired at ${proposal.expiresAt}`;
  return null;
}

/** At most one open proposal per incident and type (docs/ARCHITECTURE.md invariant 4). */
export function hasLiveProposal(proposals: readonly Proposal[], type: ProposalType): boolean {
  return proposals.some(
    (p) => p.type === type && ['pending', 'approved', 'opened', 'merged'].includes(p.state),
  );
}
