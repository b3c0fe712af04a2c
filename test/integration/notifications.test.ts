// Notifications end to end: a real control loop (Prometheus, Temporal dev server, git) sends every
// incident event to a Slack-shaped receiver that checks Block Kit, webhook receivers that check the
// HMAC signature, and a PagerDuty-shaped receiver that checks Events v2 — some of them flapping, slow
// or down. The incidents proceed regardless, retries stay bounded and nothing is delivered twice.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileStore } from '../../src/store/file-store';
import { changeBranch } from '../../src/gitops/branch';
import { deliverNotifications, type DeliveryDeps } from '../../src/notify/delivery';
import type { NotificationEvent } from '../../src/notify/events';
import { loadNotifyConfig, type NotifyConfig } from '../../src/notify/routes';
import { signed, signedApproval } from '../support/signing';
import {
  acknowledgeSignal,
  approveSignal,
  incidentQuery,
  outcomeQuery,
  type IncidentView,
  workflowIds,
} from '../../workflows/messages';
import { mergeAsReviewer } from '../harness/git';
import { namespaceClient } from '../harness/namespaces';
import { waitFor } from '../harness/prometheus';
import {
  downUrl,
  startPagerDutyReceiver,
  startSlackReceiver,
  startWebhookReceiver,
  type Receiver,
  type Received,
} from '../harness/receivers';
import { uniqueId } from '../harness/temporal';
import {
  buildWorld,
  FAST_TIMINGS,
  serviceYaml,
  startWorker,
  stopLoop,
  type ControlLoopWorld,
} from '../support/control-loop';
import { saveHistories } from '../support/record-histories';

const NAMESPACE = uniqueId('safedeploy-notify');
const SECRET = `whsec-${randomUUID()}`;
const PD_KEY = `pdkey${randomUUID().replace(/-/g, '')}`;
const SLACK_PATH = `/services/T000/B000/${randomUUID()}`;

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let config: NotifyConfig;
const r = {} as Record<'slack' | 'hook' | 'slow' | 'pager' | 'cartSlack', Receiver>;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }, { name: 'cart' }, { name: 'payments' }]);
  r.slack = await startSlackReceiver();
  r.hook = await startWebhookReceiver(SECRET, { mode: 'flapping', failures: 2 });
  r.slow = await startWebhookReceiver(SECRET, { mode: 'slow', hangs: 2, ms: 3_000 });
  r.pager = await startPagerDutyReceiver(PD_KEY);
  r.cartSlack = await startSlackReceiver();
  const dir = world.dir;
  await writeFile(path.join(dir, 'slack-url'), `${r.slack.url}${SLACK_PATH}\n`);
  await writeFile(path.join(dir, 'cart-slack-url'), `${r.cartSlack.url}${SLACK_PATH}\n`);
  await writeFile(path.join(dir, 'dead-url'), `${await downUrl()}${SLACK_PATH}\n`);
  await writeFile(path.join(dir, 'hook-secret'), SECRET);
  await writeFile(
    path.join(dir, 'routes.yaml'),
    `webUi: http://localhost:8233
namespace: ${NAMESPACE}
timeout: 1s
default: [slack]
routes:
  slack: { type: slack, urlFile: slack-url }
  cart-slack: { type: slack, urlFile: cart-slack-url }
  dead: { type: slack, urlFile: dead-url }
  hook: { type: webhook, url: '${r.hook.url}/hook', secretFile: hook-secret }
  slow: { type: webhook, url: '${r.slow.url}/hook', secretFile: hook-secret }
  pager: { type: pagerduty, url: '${r.pager.url}', routingKeyEnv: PD_KEY }
`,
  );
  config = await loadNotifyConfig(path.join(dir, 'routes.yaml'), { PD_KEY });
  // checkout takes the default Slack route plus the flapping, slow and PagerDuty ones; cart has a dead one.
  await writeFile(
    path.join(world.catalogDir, 'services.yaml'),
    `${serviceYaml('checkout', world.repoUrl)}  notifications: [slack, hook, slow, pager]\n---\n` +
      `${serviceYaml('cart', world.repoUrl)}  notifications: [dead, cart-slack]\n---\n` +
      serviceYaml('payments', world.repoUrl, '4s'),
  );
  client = await namespaceClient(NAMESPACE);
  worker = await startWorker(world, NAMESPACE, {
    // No reminders during the test: a batch every few seconds would only lengthen it.
    timings: { ...FAST_TIMINGS, postmortemReminderMs: 3_600_000 },
    notify: config,
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  if (process.env.SAFEDEPLOY_RECORD_HISTORIES === '1') await saveHistories(client, NAMESPACE, 'notify');
  await stopLoop({ client, worker, running, world });
  for (const receiver of Object.values(r)) await receiver?.close();
});

const incident = (service: string) =>
  client.workflow
    .getHandle(workflowIds.incident(service))
    .query(incidentQuery)
    .catch(() => undefined);

async function act(service: string, send: (requestId: string) => Promise<void>): Promise<void> {
  const requestId = randomUUID();
  await send(requestId);
  await waitFor(
    async () => {
      const o = await client.workflow.getHandle(workflowIds.incident(service)).query(outcomeQuery, requestId);
      return o?.final ? o : undefined;
    },
    30_000,
    `outcome of ${requestId}`,
  );
}

const slackIds = (rec: Receiver, service = 'checkout') =>
  rec.accepted
    .filter((a) => slackHeader(a).endsWith(`: ${service}`))
    .map((a) => {
      const blocks = a.body.blocks as { type: string; elements?: { text: string }[] }[];
      const context = blocks.find((b) => b.type === 'context')!.elements![0]!.text;
      return /event `([^`]+)`/.exec(context)![1]!;
    });
const slackHeader = (a: Received) => (a.body.blocks as { text: { text: string } }[])[0]!.text.text;
const hookIds = (rec: Receiver) => rec.accepted.map((a) => String(a.headers['x-safedeploy-event-id']));
const pagerActions = () =>
  r.pager.accepted.map((a) => (a.path === '/v2/change/enqueue' ? 'change' : String(a.body.event_action)));

describe('an incident on checkout, notified through Slack, a signed webhook and PagerDuty', () => {
  let opened: IncidentView;

  it('tells Slack about the new proposal with the exact command to approve it', async () => {
    world.exporter.fastBurn('checkout');
    world.exporter.fastBurn('cart');
    opened = await waitFor(
      async () => {
        const v = await incident('checkout');
        return v && v.proposals.length > 0 ? v : undefined;
      },
      60_000,
      'the checkout incident and its proposal',
    );
    const proposalId = opened.proposals[0]!.id;
    const message = await waitFor(
      () => r.slack.accepted.find((a) => a.raw.includes('Approval needed')),
      30_000,
      'the proposal in Slack',
    );
    const text = JSON.stringify(message.body.blocks);
    // Slack mrkdwn escapes < and > as entities; Slack shows them as the characters.
    expect(text).toContain(`safedeploy proposal approve ${proposalId} --reason '&lt;why&gt;'`);
    expect(text).toMatch(/budget left \d+\.\d%/);
    expect(text).toMatch(/5m \d+\.\dx/);
    expect(text).toContain(`http://localhost:8233/namespaces/${NAMESPACE}/workflows/incident-checkout`);
    await waitFor(() => pagerActions().includes('trigger'), 30_000, 'the PagerDuty trigger');
    expect(r.pager.accepted[0]!.body).toMatchObject({
      event_action: 'trigger',
      dedup_key: `safedeploy/${opened.incidentId}`,
      payload: { source: 'checkout', severity: 'critical' },
    });
  }, 90_000);

  it('acknowledges, approves, merges and resolves: PagerDuty follows one dedup_key and records the rollback as a change', async () => {
    const handle = client.workflow.getHandle(workflowIds.incident('checkout'));
    const { incidentId } = opened;
    await act('checkout', async (requestId) =>
      handle.signal(
        acknowledgeSignal,
        await signed(
          'acknowledge',
          { kind: 'incident', incidentId, service: 'checkout' },
          { requestId, by: 'bob', reason: 'looking' },
        ),
      ),
    );
    await act('checkout', async (requestId) =>
      handle.signal(
        approveSignal,
        await signedApproval(opened, 'rollback-rollout', { requestId, by: 'alice', reason: 'roll back' }),
      ),
    );
    mergeAsReviewer(world.repoUrl, changeBranch(opened.incidentId, 'rollback-rollout'));
    await waitFor(async () => (await incident('checkout'))?.state === 'mitigated', 30_000, 'mitigated');
    world.exporter.healthy('checkout');
    await waitFor(() => pagerActions().includes('resolve'), 60_000, 'the PagerDuty resolve');
    expect(pagerActions()).toEqual(['trigger', 'acknowledge', 'change', 'resolve']);
    const keys = r.pager.accepted.filter((a) => a.path === '/v2/enqueue').map((a) => a.body.dedup_key);
    expect(new Set(keys)).toEqual(new Set([`safedeploy/${opened.incidentId}`]));
    expect(r.pager.problems).toEqual([]);
  }, 120_000);

  it('delivers every event exactly once to each route, in order, despite the flapping and slow receivers', async () => {
    const kinds = (rec: Receiver) => rec.accepted.map((a) => (a.body.event as NotificationEvent).kind);
    const sawResolution = (rec: Receiver) =>
      rec.accepted.some((a) => (a.body.event as NotificationEvent).transition?.to === 'resolved');
    await waitFor(
      () =>
        sawResolution(r.hook) && sawResolution(r.slow) && slackIds(r.slack).length === hookIds(r.hook).length,
      60_000,
      'every route to catch up with the resolution',
    );
    for (const rec of [r.slack, r.hook, r.slow]) expect(rec.problems).toEqual([]);
    const ids = hookIds(r.hook);
    expect(new Set(ids).size).toBe(ids.length);
    expect(hookIds(r.slow)).toEqual(ids);
    expect(slackIds(r.slack)).toEqual(ids);
    // In the order the incident recorded them (deterministic, increasing sequence numbers).
    const seqs = ids.filter((id) => id.includes(':incident:')).map((id) => Number(id.split(':').pop()));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(kinds(r.hook)).toEqual(
      expect.arrayContaining([
        'incident-transition',
        'proposal-created',
        'proposal-approved',
        'change-opened',
        'change-merged',
      ]),
    );
    // Bounded retries: each failure cost exactly one extra request.
    expect(r.hook.attempts).toBe(ids.length + 2);
    expect(r.slow.attempts).toBe(ids.length + 2);
  }, 90_000);

  it('lets the cart incident proceed while its dead route gives up after bounded retries', async () => {
    const cart = await waitFor(
      async () => {
        const v = await incident('cart');
        return v && v.proposals.length > 0 ? v : undefined;
      },
      60_000,
      'the cart incident',
    );
    expect(cart.state).toBe('detected');
    await waitFor(
      () => slackIds(r.cartSlack, 'cart').length >= 2,
      30_000,
      'cart notifications on the live route',
    );
    await waitFor(
      async () =>
        (await readAudit()).filter((l) => l.route === 'dead' && l.type === 'undeliverable').length >= 2,
      150_000,
      'the dead route to give up',
    );
    const dead = (await readAudit()).filter((l) => l.route === 'dead');
    expect(
      dead.every((l) => l.type === 'undeliverable' && String(l.error).includes('retries exhausted')),
    ).toBe(true);
    // The live route of the same service was not held up by the dead one.
    expect(slackIds(r.cartSlack, 'cart').length).toBeGreaterThanOrEqual(dead.length);
  }, 240_000);

  it('tells the default route when a service without routes is frozen, and when the freeze ends', async () => {
    world.exporter.exhausted('payments');
    await waitFor(
      () => r.slack.accepted.some((a) => slackHeader(a) === 'Change freeze: payments'),
      60_000,
      'the freeze in Slack',
    );
    world.exporter.healthy('payments');
    await waitFor(
      () => r.slack.accepted.some((a) => slackHeader(a) === 'Freeze ended: payments'),
      60_000,
      'the end of the freeze in Slack',
    );
    expect(r.slack.problems).toEqual([]);
  }, 130_000);

  it('never writes a webhook URL, signing secret or routing key into the audit log', async () => {
    const text = await Promise.all(
      (await readdir(path.join(world.dataDir, 'audit')))
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => readFile(path.join(world.dataDir, 'audit', f), 'utf8')),
    );
    const all = text.join('\n');
    expect(all).toContain('"route":"slack"');
    for (const secret of [SECRET, PD_KEY, SLACK_PATH]) expect(all).not.toContain(secret);
  });

  it('sends nothing again when the same batch is delivered after a restart (the audit stream remembers)', async () => {
    const events = r.hook.accepted.map((a) => a.body.event as NotificationEvent);
    const before = { slack: r.slack.attempts, hook: r.hook.attempts };
    // A fresh store over the same files: what a restarted worker would read.
    const store = fileStore(world.dataDir);
    const deps: DeliveryDeps = {
      audit: store,
      config,
      secrets: config.secrets,
      serviceRoutes: () => Promise.resolve(['slack', 'hook']),
    };
    for (const route of ['slack', 'hook']) {
      const report = await deliverNotifications(deps, events, route, false);
      expect(report).toMatchObject({ delivered: [], pending: [], undeliverable: [] });
      expect(report.duplicates).toHaveLength(events.length);
    }
    expect({ slack: r.slack.attempts, hook: r.hook.attempts }).toEqual(before);
    const recorded = (await store.readLines('notifications')).map((l) => l.eventId);
    expect(recorded).toContain(`${events[0]!.id}@hook`);
  });
});

async function readAudit(): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(world.dataDir, 'audit', 'notifications.jsonl'), 'utf8').catch(
    () => '',
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
