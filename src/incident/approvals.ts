// Who may add an approval to a proposal beyond being an approver: a quorum counts distinct people
// and distinct keys, and governance.approvals.authorMayApproveRollback may keep the author of the
// release a rollback removes from approving it. Pure rules, used by workflows/human-actions.ts.
import type { ApprovalPolicy } from '../catalog/model';
import type { ActionProof, ActionRequest, HumanDecision, Proposal } from './proposals';

/**
 * Quorum and authorship for approving `proposal`: why this approval cannot count, or null. A quorum
 * counts distinct people and distinct keys, so one person with two names or two keys counts once.
 */
export function approvalRefusal(
  proposal: Proposal,
  request: ActionRequest,
  proof: ActionProof,
  policy: ApprovalPolicy,
): string | null {
  const given = acceptedApprovals(proposal);
  const quorum = `a quorum of ${policy.quorum} needs ${policy.quorum} distinct approvers`;
  if (given.some((d) => d.by === request.by))
    return `${request.by} already approved ${proposal.id}; ${quorum}`;
  const fp = proof.signed ? proof.fingerprint : undefined;
  const sameKey = fp ? given.find((d) => d.fingerprint === fp) : undefined;
  if (sameKey) return `key ${fp} already approved ${proposal.id} as ${sameKey.by}; ${quorum}`;
  const author = proposal.target?.suspect?.author;
  if (!policy.authorMayApproveRollback && proposal.type === 'rollback-rollout' && author) {
    const names = [request.by, ...(proof.signed ? proof.principals : [])];
    if (names.some((n) => isAuthor(author, n)))
      return `${request.by} authored the release this rollback removes, and governance.approvals.authorMayApproveRollback is false: another approver must approve`;
  }
  return null;
}

export function acceptedApprovals(proposal: Proposal): HumanDecision[] {
  return proposal.decisions.filter((d) => d.accepted && d.action === 'approve');
}

/** A git author ("Alice Example <alice@example.com>") is `name` when its name, email or email's user is. */
export function isAuthor(author: string, name: string): boolean {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(author);
  const [who, email] = m ? [m[1]!, m[2]!] : [author, ''];
  const n = name.toLowerCase();
  return [who, email, email.split('@')[0] ?? ''].some((x) => x !== '' && x.toLowerCase() === n);
}
