// PagerDuty Events API v2: an incident is one PagerDuty alert, keyed by one stable dedup_key (the
// SafeDeploy incident id), triggered at detection (and again when burning renews), acknowledged
// when a human takes it, resolved with the incident. A merged rollback is a change event.
// Summaries are cut to the API's 1024 characters; dedup keys to 255.
import type { NotificationEvent } from './events';
import { webUiLink, type LinkOptions } from './links';

export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255 } as const;

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

export interface PagerDutyRequest {
  path: '/v2/enqueue' | '/v2/change/enqueue';
  body: Record<string, unknown>;
}

const cut = (text: string, n: number) => (text.length <= n ? text : `${text.slice(0, n - 1)}…`);

/** The Events v2 action an incident notification calls for, if any. */
export function pagerDutyAction(event: NotificationEvent): PagerDutyAction | undefined {
  if (event.kind !== 'incident-transition' || !event.transition) return undefined;
  const { from, to } = event.transition;
  if (to === 'detected' || (to === 'investigating' && from === 'mitigated')) return 'trigger';
  if (to === 'investigating') return 'acknowledge';
  if (to === 'resolved') return 'resolve';
  return undefined;
}

function severityOf(event: NotificationEvent): 'critical' | 'error' | 'warning' | 'info' {
  const s = event.incident?.severity;
  if (s === 'fast-burn' || s === 'exhausted') return 'critical';
  if (s === 'policy-violation') return 'error';
  return 'warning';
}

export function dedupKey(event: NotificationEvent): string {
  return cut(`safedeploy/${event.incident?.id ?? event.id}`, PAGERDUTY_LIMITS.dedupKey);
}

/** The requests one notification makes on a PagerDuty route (none for most kinds). */
export function pagerDutyRequests(
  event: NotificationEvent,
  routingKey: string,
  links: LinkOptions,
): PagerDutyRequest[] {
  const ui = webUiLink(event, links);
  const linkList = [
    ...(ui ? [{ href: ui, text: 'Temporal Web UI' }] : []),
    ...(event.change ? [{ href: event.change.url, text: 'Pull request' }] : []),
  ];
  // A test must not page anyone: it is a change event, which PagerDuty records without notifying.
  const change =
    event.kind === 'test'
      ? `[TEST] ${event.summary}`
      : event.kind === 'change-merged' && event.proposal?.type === 'rollback-rollout'
        ? `SafeDeploy rollback of ${event.service} merged (${event.incident?.id ?? ''})`
        : undefined;
  if (change !== undefined) {
    return [
      {
        path: '/v2/change/enqueue',
        body: {
          routing_key: routingKey,
          payload: {
            summary: cut(change, PAGERDUTY_LIMITS.summary),
            timestamp: event.occurredAt,
            source: 'safedeploy',
            custom_details: {
              incident: event.incident?.id ?? null,
              proposal: event.proposal?.id ?? null,
              change: event.change ?? null,
              test: event.kind === 'test',
            },
          },
          links: linkList,
        },
      },
    ];
  }
  const action = pagerDutyAction(event);
  if (!action) return [];
  const body: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: action,
    dedup_key: dedupKey(event),
  };
  if (action === 'trigger') {
    body.payload = {
      summary: cut(event.summary, PAGERDUTY_LIMITS.summary),
      source: event.service,
      severity: severityOf(event),
      timestamp: event.occurredAt,
      component: event.service,
      class: event.incident?.kind === 'policy' ? 'policy-violation' : 'slo-burn',
      custom_details: { incident: event.incident, slos: event.slos ?? [] },
    };
    body.client = 'SafeDeploy';
    if (ui) body.client_url = ui;
    body.links = linkList;
  }
  return [{ path: '/v2/enqueue', body }];
}
