// Real local HTTP receivers shaped like the services SafeDeploy notifies: a Slack incoming webhook
// that checks Block Kit's limits, a webhook receiver that checks the HMAC signature, and a PagerDuty
// Events v2 endpoint that checks the event schema. Each can misbehave: fail its first requests
// (flapping), hang past the sender's timeout (slow) or not listen at all (down).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { mode: 'ok' }
  /** The first `failures` requests get a 503. */
  | { mode: 'flapping'; failures: number }
  /** The first `hangs` requests get no answer for `ms` (then the socket is dropped). */
  | { mode: 'slow'; hangs: number; ms: number };

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  raw: string;
}

export interface Receiver {
  url: string;
  /** Requests answered 2xx, in order. */
  accepted: Received[];
  /** Every request, answered or not. */
  attempts: number;
  /** Why requests were refused as malformed: must stay empty. */
  problems: string[];
  close(): Promise<void>;
}

type Check = (r: Received) => string | undefined;

async function startReceiver(check: Check, behaviour: Behaviour, answer = 200): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    accepted: [],
    attempts: 0,
    problems: [],
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const n = ++receiver.attempts;
      if (behaviour.mode === 'flapping' && n <= behaviour.failures)
        return void response.writeHead(503).end('flap');
      if (behaviour.mode === 'slow' && n <= behaviour.hangs) {
        setTimeout(() => response.destroy(), behaviour.ms);
        return;
      }
      handle(receiver, check, request, response, Buffer.concat(chunks).toString('utf8'), answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

function handle(
  receiver: Receiver,
  check: Check,
  request: IncomingMessage,
  response: ServerResponse,
  raw: string,
  answer: number,
): void {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    receiver.problems.push('body is not JSON');
    return void response.writeHead(400).end('invalid_payload');
  }
  const received = { path: request.url ?? '/', headers: request.headers, body, raw };
  const problem = check(received);
  if (problem) {
    receiver.problems.push(problem);
    return void response.writeHead(400).end(problem);
  }
  receiver.accepted.push(received);
  response.writeHead(answer, { 'content-type': 'application/json' }).end('{"status":"success"}');
}

/** Slack incoming webhook: Block Kit limits as Slack documents them. */
export function startSlackReceiver(behaviour: Behaviour = { mode: 'ok' }): Promise<Receiver> {
  return startReceiver((r) => slackProblem(r.body), behaviour);
}

const len = (t: unknown) => (typeof t === 'string' ? t.length : -1);

export function slackProblem(body: Record<string, unknown>): string | undefined {
  if (len(body.text) < 1) return 'no fallback text';
  const blocks = body.blocks as Record<string, unknown>[] | undefined;
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return 'blocks: 1 to 50';
  for (const [i, b] of blocks.entries()) {
    const text = (b.text as { type?: string; text?: string } | undefined) ?? undefined;
    switch (b.type) {
      case 'header':
        if (text?.type !== 'plain_text' || len(text.text) < 1 || len(text.text) > 150)
          return `blocks.${i}: header text`;
        break;
      case 'section': {
        const fields = (b.fields as { text: string }[] | undefined) ?? [];
        if (!text && fields.length === 0) return `blocks.${i}: section without text or fields`;
        if (text && (len(text.text) < 1 || len(text.text) > 3000)) return `blocks.${i}: section text length`;
        if (fields.length > 10 || fields.some((f) => len(f.text) < 1 || len(f.text) > 2000))
          return `blocks.${i}: fields`;
        break;
      }
      case 'context': {
        const elements = b.elements as { text: string }[];
        if (!Array.isArray(elements) || elements.length < 1 || elements.length > 10)
          return `blocks.${i}: context`;
        break;
      }
      case 'actions': {
        const elements = b.elements as {
          type: string;
          text: { text: string };
          url: string;
          action_id: string;
        }[];
        if (!Array.isArray(elements) || elements.length < 1 || elements.length > 25)
          return `blocks.${i}: actions`;
        for (const e of elements)
          if (e.type !== 'button' || len(e.text.text) > 75 || len(e.url) > 3000 || len(e.action_id) > 255)
            return `blocks.${i}: button`;
        break;
      }
      case 'divider':
        break;
      default:
        return `blocks.${i}: unknown block type ${String(b.type)}`;
    }
  }
  return undefined;
}

/** A receiver that verifies X-SafeDeploy-Signature like docs/NOTIFICATIONS.md tells receivers to. */
export function startWebhookReceiver(
  secret: string,
  behaviour: Behaviour = { mode: 'ok' },
): Promise<Receiver> {
  return startReceiver((r) => {
    const ts = String(r.headers['x-safedeploy-timestamp'] ?? '');
    const given = String(r.headers['x-safedeploy-signature'] ?? '');
    const expected = `v1=${createHmac('sha256', secret).update(`${ts}.${r.raw}`).digest('hex')}`;
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return 'stale or missing timestamp';
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      return 'bad signature';
    if (r.body.version !== 'safedeploy.notification/v1') return 'unknown version';
    if (r.headers['x-safedeploy-event-id'] !== (r.body.event as { id: string }).id) return 'event id header';
    return undefined;
  }, behaviour);
}

const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** PagerDuty Events API v2: alert events on /v2/enqueue, change events on /v2/change/enqueue (202). */
export function startPagerDutyReceiver(
  routingKey: string,
  behaviour: Behaviour = { mode: 'ok' },
): Promise<Receiver> {
  return startReceiver((r) => pagerDutyProblem(r.path, r.body, routingKey), behaviour, 202);
}

export function pagerDutyProblem(
  path: string,
  body: Record<string, unknown>,
  routingKey: string,
): string | undefined {
  if (body.routing_key !== routingKey) return 'routing_key';
  const payload = body.payload as Record<string, unknown> | undefined;
  if (path === '/v2/change/enqueue') {
    if (!payload || len(payload.summary) < 1 || len(payload.summary) > 1024) return 'change payload.summary';
    return undefined;
  }
  if (path !== '/v2/enqueue') return `unknown path ${path}`;
  if (!['trigger', 'acknowledge', 'resolve'].includes(String(body.event_action))) return 'event_action';
  if (len(body.dedup_key) < 1 || len(body.dedup_key) > 255) return 'dedup_key';
  if (body.event_action === 'trigger') {
    if (!payload) return 'trigger without payload';
    if (len(payload.summary) < 1 || len(payload.summary) > 1024) return 'payload.summary';
    if (len(payload.source) < 1) return 'payload.source';
    if (!PD_SEVERITIES.includes(String(payload.severity))) return 'payload.severity';
  }
  return undefined;
}

/** A URL on which nothing listens. */
export async function downUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
