// `proposal list` as text: open proposals across incidents, with the command that approves them.
import type { OpenProposal } from '../../operator/report';
import { renderTable } from '../table';
import { formatAge, secondsSince } from './format';

/** "pending (1 of 2 approvals)" while a quorum is being gathered. */
export function stateWithApprovals(p: Pick<OpenProposal, 'state' | 'approvals'>): string {
  return p.approvals && p.state === 'pending'
    ? `${p.state} (${p.approvals.given} of ${p.approvals.needed} approvals)`
    : p.state;
}

export function renderProposalList(proposals: OpenProposal[], now: Date): string {
  if (proposals.length === 0) return 'no open proposals\n';
  const rows = proposals.map((p) => [
    p.id,
    p.service,
    stateWithApprovals(p),
    formatAge(secondsSince(p.createdAt, now)),
    p.state === 'pending' ? p.expiresAt : '-',
    p.change?.url ?? '-',
  ]);
  const table = renderTable(['PROPOSAL', 'SERVICE', 'STATE', 'AGE', 'EXPIRES', 'CHANGE'], rows);
  const pending = proposals.some((p) => p.state === 'pending');
  return pending ? `${table}\nApprove with: safedeploy proposal approve <proposal> --reason "..."\n` : table;
}
