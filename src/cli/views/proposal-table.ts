// `proposal list` as text: open proposals across incidents, with the command that approves them.
import type { OpenProposal } from '../../operator/report';
import { renderTable } from '../table';
import { formatAge, secondsSince } from './format';

export function renderProposalList(proposals: OpenProposal[], now: Date): string {
  if (proposals.length === 0) return 'no open proposals\n';
  const rows = proposals.map((p) => [
    p.id,
    p.service,
    p.state,
    formatAge(secondsSince(p.createdAt, now)),
    p.state === 'pending' ? p.expiresAt : '-',
    p.change?.url ?? '-',
  ]);
  const table = renderTable(['PROPOSAL', 'SERVICE', 'STATE', 'AGE', 'EXPIRES', 'CHANGE'], rows);
  const pending = proposals.some((p) => p.state === 'pending');
  return pending ? `${table}\nApprove with: safedeploy proposal approve <proposal> --reason "..."\n` : table;
}
