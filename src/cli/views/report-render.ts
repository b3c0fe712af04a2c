// The fleet report rendered for a terminal (aligned columns) or for a wiki or chat (GitHub Markdown).
import type { FleetReport } from '../../operator/report';
import { renderTable } from '../table';
import { reportHeadline, reportSections } from './report-sections';

export function renderReportText(report: FleetReport): string {
  const parts = [`${reportHeadline(report).join('\n')}\n`];
  for (const s of reportSections(report)) {
    parts.push(`${s.title}\n${s.rows.length > 0 ? renderTable(s.header, s.rows) : `${s.empty}\n`}`);
  }
  return parts.join('\n');
}

export function renderReportMarkdown(report: FleetReport): string {
  const [title, ...notes] = reportHeadline(report);
  const parts = [`# ${title ?? 'SafeDeploy report'}\n`];
  if (notes.length > 0) parts.push(notes.map((n) => `> **${n}**`).join('\n>\n') + '\n');
  for (const s of reportSections(report)) {
    parts.push(`## ${s.title}\n\n${s.rows.length > 0 ? markdownTable(s.header, s.rows) : `_${s.empty}_\n`}`);
  }
  return parts.join('\n');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}

/** A pipe would end the cell and a newline the row. */
function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
