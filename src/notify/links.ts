// What a notification points people at: the incident's workflow in the Temporal Web UI, the pull
// request, and the exact command that approves a pending proposal.
import type { NotificationEvent } from './events';

export interface LinkOptions {
  webUi?: string;
  namespace: string;
}

export function webUiLink(event: NotificationEvent, options: LinkOptions): string | undefined {
  if (!options.webUi) return undefined;
  return `${options.webUi}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(event.workflowId)}`;
}

/** Shell-quoted for POSIX shells: proposal ids are `<incident-id>/<type>`, already safe, but be exact. */
function quote(text: string): string {
  return /^[A-Za-z0-9._/:-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command an approver runs, for a proposal still waiting for one. */
export function approveCommand(event: NotificationEvent): string | undefined {
  const p = event.proposal;
  if (!p || p.state !== 'pending') return undefined;
  return `safedeploy proposal approve ${quote(p.id)} --reason '<why>'`;
}

export function percent(fraction: number | null): string {
  return fraction === null ? 'no data' : `${(fraction * 100).toFixed(1)}%`;
}

export function burnRate(rate: number | null): string {
  return rate === null ? '–' : `${rate.toFixed(1)}x`;
}
