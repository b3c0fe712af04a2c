// Sends one notification to one route over HTTP, with a short timeout. Errors say which route and
// what the receiver answered, never the URL or key (they are credentials for Slack and PagerDuty).
import type { NotificationEvent } from './events';
import type { LinkOptions } from './links';
import { pagerDutyRequests } from './pagerduty';
import type { Route } from './routes';
import { slackMessage } from './slack';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, webhookBody } from './webhook';

export const SEND_TIMEOUT_MS = 5_000;

export class NotificationSendError extends Error {
  constructor(
    message: string,
    /** false: the receiver refused the request itself (bad payload, unknown key); retrying is pointless. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'NotificationSendError';
  }
}

export interface SendOptions extends LinkOptions {
  timeoutMs?: number;
  now?: () => Date;
}

/** 'sent', or 'not-applicable' when the route has nothing to say about this kind of event. */
export async function sendNotification(
  route: Route,
  event: NotificationEvent,
  options: SendOptions,
): Promise<'sent' | 'not-applicable'> {
  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    postJson(route, url, body, headers, options.timeoutMs ?? SEND_TIMEOUT_MS);
  switch (route.type) {
    case 'slack':
      await post(route.url, JSON.stringify(slackMessage(event, options)));
      return 'sent';
    case 'webhook': {
      const body = JSON.stringify(webhookBody(event, options));
      const ts = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      await post(route.url, body, {
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signature(route.secret, ts, body),
        [EVENT_ID_HEADER]: event.id,
      });
      return 'sent';
    }
    case 'pagerduty': {
      const requests = pagerDutyRequests(event, route.routingKey, options);
      for (const r of requests) await post(`${route.url}${r.path}`, JSON.stringify(r.body));
      return requests.length > 0 ? 'sent' : 'not-applicable';
    }
  }
}

/** Whether a route type says anything about an event kind (PagerDuty only pages incidents). */
export function routeHandles(route: Route, event: NotificationEvent): boolean {
  return route.type !== 'pagerduty' || pagerDutyRequests(event, '', { namespace: '' }).length > 0;
}

async function postJson(
  route: Route,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'SafeDeploy', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
    throw new NotificationSendError(`${route.type} route ${route.name}: receiver ${why}`, true);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const detail = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
  // 408 and 429 ask to come back later, like any 5xx; other 4xx refuse the request for good.
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new NotificationSendError(
    `${route.type} route ${route.name}: receiver answered ${response.status}${detail ? ` (${detail})` : ''}`,
    retryable,
  );
}
