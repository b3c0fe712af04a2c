// The generic webhook: a versioned JSON body, signed like Slack's and Stripe's request signing —
// HMAC-SHA256 over `<timestamp>.<body>` with the route's secret, the timestamp in its own header, so
// a receiver can reject forged, altered and replayed requests (docs/NOTIFICATIONS.md shows how).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NotificationEvent } from './events';
import { approveCommand, webUiLink, type LinkOptions } from './links';

export const WEBHOOK_VERSION = 'safedeploy.notification/v1';
export const SIGNATURE_HEADER = 'x-safedeploy-signature';
export const TIMESTAMP_HEADER = 'x-safedeploy-timestamp';
export const EVENT_ID_HEADER = 'x-safedeploy-event-id';

export interface WebhookBody {
  version: typeof WEBHOOK_VERSION;
  test: boolean;
  event: NotificationEvent;
  links: { webUi?: string; change?: string };
  approveCommand?: string;
}

export function webhookBody(event: NotificationEvent, links: LinkOptions): WebhookBody {
  const ui = webUiLink(event, links);
  const command = approveCommand(event);
  return {
    version: WEBHOOK_VERSION,
    test: event.kind === 'test',
    event,
    links: { ...(ui ? { webUi: ui } : {}), ...(event.change ? { change: event.change.url } : {}) },
    ...(command ? { approveCommand: command } : {}),
  };
}

/** `v1=<hex>`: the scheme prefix lets a later signature version sit beside this one. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does; used by SafeDeploy's own tests and shown in docs/NOTIFICATIONS.md. */
export function verifySignature(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, ts, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
