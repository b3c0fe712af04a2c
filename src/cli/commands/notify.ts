// `safedeploy notify test --route NAME`: sends one clearly marked test message through a route of the
// notification routes file, to check a Slack webhook, a webhook receiver's signature check or a
// PagerDuty routing key while setting up. Nothing is recorded and no incident is involved.
import type { Command } from 'commander';
import { redact } from '../../evidence/redact';
import { loadNotifyConfig, ROUTES_ENV, type NotifyConfig } from '../../notify/routes';
import { sendNotification } from '../../notify/send';
import { testNotification } from '../../notify/test-message';
import { CliError, EXIT } from '../errors';
import { printJson, printText } from '../output';
import { errorMessage } from '../../errors';

interface TestFlags {
  route: string;
  routes?: string;
  service: string;
  json?: boolean;
}

export function registerNotifyCommands(program: Command): void {
  const notify = program
    .command('notify')
    .description('Notification routes: Slack, signed webhook, PagerDuty');
  notify
    .command('test')
    .description('Send a test message through one notification route')
    .requiredOption('--route <name>', 'route name from the routes file')
    .option('--routes <file>', `notification routes file (env ${ROUTES_ENV})`, process.env[ROUTES_ENV])
    .option('--service <name>', 'service named in the test message', 'safedeploy-test')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nSlack gets a message headed "TEST", webhooks a signed body with "test": true, PagerDuty a change\n' +
        'event (it pages nobody). See docs/NOTIFICATIONS.md.\n' +
        'Exit codes: 0 sent, 2 bad usage (no routes file, unknown route), 3 the receiver failed or timed out.',
    )
    .action(async (flags: TestFlags) => {
      process.exitCode = await sendTest(flags);
    });
}

async function sendTest(flags: TestFlags): Promise<number> {
  if (!flags.routes) throw new CliError(`no routes file: pass --routes or set ${ROUTES_ENV}`);
  const config = await loadNotifyConfig(flags.routes).catch((err: unknown) => {
    throw new CliError(errorMessage(err));
  });
  const route = config.routes.get(flags.route);
  if (!route)
    throw new CliError(
      `no route "${flags.route}" in ${flags.routes} (routes: ${[...config.routes.keys()].join(', ') || 'none'})`,
    );
  const event = testNotification(flags.service, new Date());
  try {
    await sendNotification(route, event, linkOptions(config));
  } catch (err) {
    throw new CliError(redact(errorMessage(err), config.secrets), EXIT.unavailable);
  }
  const result = { route: route.name, type: route.type, sent: true, eventId: event.id };
  if (flags.json) printJson(result);
  else printText(`sent a test message through ${route.type} route ${route.name} (event ${event.id})`);
  return EXIT.ok;
}

function linkOptions(config: NotifyConfig): { webUi?: string; namespace: string; timeoutMs?: number } {
  return {
    ...(config.webUi ? { webUi: config.webUi } : {}),
    namespace: config.namespace,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  };
}
