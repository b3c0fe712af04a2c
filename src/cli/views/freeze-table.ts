// `freeze list` as text: which services are frozen, since when, until when and who lifted what.
import type { FreezeView } from '../../../workflows/messages';
import { renderTable } from '../table';

export function renderFreezeList(freezes: FreezeView[], all: boolean): string {
  if (freezes.length === 0)
    return all ? 'no freezes\n' : 'no active freezes (add --all to include lifted and expired ones)\n';
  const rows = freezes.map((f) => [
    f.service,
    f.state,
    f.since,
    f.until ?? (f.state === 'frozen' ? 'budget exhausted' : '-'),
    f.liftedBy ? `${f.liftedBy.by}: ${f.liftedBy.reason}` : '-',
  ]);
  return renderTable(['SERVICE', 'STATE', 'SINCE', 'UNTIL', 'LIFTED BY'], rows);
}
