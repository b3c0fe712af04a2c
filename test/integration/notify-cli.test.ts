// `safedeploy notify test` through the real binary: a marked test message through each kind of route
// to real local receivers, and one-line errors with the CLI's exit codes that never show a secret.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  downUrl,
  startPagerDutyReceiver,
  startSlackReceiver,
  startWebhookReceiver,
  type Receiver,
} from '../harness/receivers';
import { jsonOf, runCli } from '../support/cli';

const SECRET = 'whsec-cli-test-0123456789';
const KEY = 'pdkeyclitest0123456789';
let dir: string;
let routes: string;
let slack: Receiver;
let hook: Receiver;
let pager: Receiver;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'safedeploy-notify-cli-'));
  slack = await startSlackReceiver();
  hook = await startWebhookReceiver(SECRET);
  pager = await startPagerDutyReceiver(KEY);
  await writeFile(path.join(dir, 'slack-url'), `${slack.url}/services/T/B/very-secret-path`);
  await writeFile(path.join(dir, 'dead-url'), `${await downUrl()}/services/T/B/dead-secret-path`);
  await writeFile(path.join(dir, 'secret'), SECRET);
  routes = path.join(dir, 'routes.yaml');
  await writeFile(
    routes,
    `timeout: 2s
routes:
  slack: { type: slack, urlFile: slack-url }
  dead: { type: slack, urlFile: dead-url }
  hook: { type: webhook, url: '${hook.url}/in', secretFile: secret }
  pager: { type: pagerduty, url: '${pager.url}', routingKeyEnv: PD_KEY }
`,
  );
});

afterAll(async () => {
  for (const r of [slack, hook, pager]) await r?.close();
  await rm(dir, { recursive: true, force: true });
});

const notify = (...args: string[]) =>
  runCli(['notify', 'test', '--routes', routes, ...args], { env: { PD_KEY: KEY } });

describe('safedeploy notify test', () => {
  it('sends a Slack message headed TEST', async () => {
    const run = await notify('--route', 'slack');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^sent a test message through slack route slack \(event test-[0-9a-f-]+\)$/m);
    expect(slack.accepted).toHaveLength(1);
    expect(JSON.stringify((slack.accepted[0]!.body.blocks as unknown[])[0])).toContain('TEST');
    expect(slack.problems).toEqual([]);
  });

  it('sends a signed webhook body marked test: true, and prints JSON with --json', async () => {
    const run = await notify('--route', 'hook', '--json', '--service', 'checkout');
    expect(run.code).toBe(0);
    expect(jsonOf(run)).toMatchObject({ route: 'hook', type: 'webhook', sent: true });
    expect(hook.problems).toEqual([]);
    expect(hook.accepted[0]!.body).toMatchObject({
      test: true,
      event: { kind: 'test', service: 'checkout' },
    });
  });

  it('sends PagerDuty a change event, which pages nobody', async () => {
    const run = await notify('--route', 'pager');
    expect(run.code).toBe(0);
    expect(pager.accepted.map((a) => a.path)).toEqual(['/v2/change/enqueue']);
    expect(pager.problems).toEqual([]);
  });

  it.each([
    [
      'an unknown route (exit 2)',
      ['--route', 'nope'],
      2,
      /no route "nope" in .*routes\.yaml \(routes: slack, dead, hook, pager\)/,
    ],
    [
      'a receiver that is down (exit 3), without its URL',
      ['--route', 'dead'],
      3,
      /^safedeploy: slack route dead: receiver unreachable$/m,
    ],
  ])('refuses %s', async (_name, args, code, error) => {
    const run = await notify(...args);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(error);
    expect(run.stderr).not.toContain('secret-path');
  });

  it('needs a routes file (exit 2) and documents itself', async () => {
    const missing = await runCli(['notify', 'test', '--route', 'x'], {
      env: { SAFEDEPLOY_NOTIFY_ROUTES: '' },
    });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no routes file') as unknown });
    const help = await runCli(['notify', 'test', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--route <name>');
    expect(help.stdout).toContain('--json');
  });
});
