// Which audit records become notifications, and how the routes file is read: secrets only by
// reference, every mistake named with its place in the file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notificationFor, notificationsFor, type AuditedEvent } from '../../../src/notify/events';
import { loadNotifyConfig, routesFor } from '../../../src/notify/routes';

const source = { service: 'checkout', workflowId: 'incident-checkout' };
const audited = (stream: string, type: string, extra: Record<string, unknown> = {}): AuditedEvent => ({
  stream,
  eventId: `i:incident:${stream}:${type}`,
  record: { at: '2026-12-01T12:00:00.000Z', type, ...extra },
});

describe('notifications from audit records', () => {
  it.each([
    ['incidents', 'transition', 'incident-transition'],
    ['incidents', 'postmortem-reminder', 'postmortem-reminder'],
    ['proposals', 'proposed', 'proposal-created'],
    ['proposals', 'change-opened', 'change-opened'],
    ['proposals', 'change-merged', 'change-merged'],
    ['approvals', 'approved', 'proposal-approved'],
    ['approvals', 'rejected', 'proposal-rejected'],
    ['approvals', 'refused', 'action-refused'],
    ['governance', 'frozen', 'freeze-started'],
    ['governance', 'freeze-lifted', 'freeze-lifted'],
    ['governance', 'freeze-expired', 'freeze-expired'],
  ])('a %s %s record notifies %s, under the record’s own event id', (stream, type, kind) => {
    const e = notificationFor(audited(stream, type), source);
    expect(e).toMatchObject({ kind, id: `i:incident:${stream}:${type}`, service: 'checkout' });
  });

  it.each([
    ['proposals', 'expired'],
    ['proposals', 'change-failed'],
    ['governance', 'freeze-extended'],
    ['evaluations', 'incident'],
  ])('a %s %s record notifies nobody', (stream, type) => {
    expect(notificationFor(audited(stream, type), source)).toBeNull();
  });

  it('keeps the order of the records in a batch', () => {
    const events = notificationsFor(
      [audited('incidents', 'transition'), audited('proposals', 'expired'), audited('proposals', 'proposed')],
      source,
    );
    expect(events.map((e) => e.kind)).toEqual(['incident-transition', 'proposal-created']);
  });
});

describe('the routes file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'safedeploy-routes-'));
    await writeFile(path.join(dir, 'slack-url'), 'https://hooks.slack.com/services/T/B/secret\n');
    await writeFile(path.join(dir, 'hook-secret'), 'whsec\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
    const file = path.join(dir, `routes-${Math.random()}.yaml`);
    await writeFile(file, yaml);
    return loadNotifyConfig(file, env);
  }

  it('reads secrets from files and the environment, and lists them for redaction', async () => {
    const config = await load(
      `default: [team]
routes:
  team: { type: slack, urlFile: slack-url }
  hook: { type: webhook, url: 'https://example.com/hook', secretFile: hook-secret }
  pager: { type: pagerduty, routingKeyEnv: PD_KEY }
`,
      { PD_KEY: 'R0UTING' },
    );
    expect(config.routes.get('team')).toMatchObject({
      type: 'slack',
      url: 'https://hooks.slack.com/services/T/B/secret',
    });
    expect(config.routes.get('pager')).toMatchObject({
      url: 'https://events.pagerduty.com',
      routingKey: 'R0UTING',
    });
    expect(config.secrets.sort()).toEqual([
      'R0UTING',
      'https://hooks.slack.com/services/T/B/secret',
      'whsec',
    ]);
    expect(config.timeoutMs).toBe(5_000);
    expect(routesFor(config, undefined)).toEqual(['team']);
    expect(routesFor(config, ['hook'])).toEqual(['hook']);
  });

  it.each([
    [
      'a Slack URL written inline',
      `routes:\n  s: { type: slack, url: 'https://hooks.slack.com/x' }\n`,
      /routes\.s: Unrecognized key/,
    ],
    [
      'an unset environment variable',
      `routes:\n  p: { type: pagerduty, routingKeyEnv: NOPE }\n`,
      /routes\.p: environment variable NOPE \(routingKey\) is not set/,
    ],
    [
      'both a file and a variable',
      `routes:\n  s: { type: slack, urlFile: slack-url, urlEnv: X }\n`,
      /set exactly one of urlFile and urlEnv/,
    ],
    [
      'a default naming no route',
      `default: [nope]\nroutes: {}\n`,
      /default names route "nope", which is not defined/,
    ],
    [
      'a missing secret file',
      `routes:\n  h: { type: webhook, url: 'https://e.com', secretFile: missing }\n`,
      /cannot read secretFile/,
    ],
  ])('refuses %s, saying where', async (_name, yaml, error) => {
    await expect(load(yaml)).rejects.toThrow(error);
  });
});
