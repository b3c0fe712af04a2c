// `safedeploy demo-service`: the demo "checkout" service on its own (containers run it this way; the
// local stack runs it in-process). Demo only: /admin/faults is unauthenticated by design.
import type { Command } from 'commander';
import { envOr } from '../../config/env';
import { startDemoService } from '../../demo-service/service';
import { CliError, EXIT } from '../errors';
import { parseListen } from './api';
import { errorMessage } from '../../errors';

interface DemoServiceFlags {
  listen: string;
  service: string;
  rps: string;
}

export const DEMO_SERVICE_DEFAULTS = { listen: '127.0.0.1:8081', service: 'checkout', rps: 10 } as const;

export function registerDemoServiceCommand(program: Command): void {
  program
    .command('demo-service')
    .description('Run the demo service: synthetic traffic, prom-client metrics, faults set at run time')
    .option(
      '--listen <host:port>',
      'address to listen on (env SAFEDEPLOY_DEMO_LISTEN)',
      envOr('SAFEDEPLOY_DEMO_LISTEN', DEMO_SERVICE_DEFAULTS.listen),
    )
    .option('--service <name>', 'the service label on its metrics', DEMO_SERVICE_DEFAULTS.service)
    .option('--rps <number>', 'synthetic requests per second', String(DEMO_SERVICE_DEFAULTS.rps))
    .addHelpText('after', HELP)
    .action(async (flags: DemoServiceFlags) => {
      const { host, port } = parseListen(flags.listen);
      const rps = Number(flags.rps);
      if (!(rps > 0 && rps <= 1000))
        throw new CliError(`invalid --rps "${flags.rps}": expected 0 < rps <= 1000`);
      const demo = await startDemoService({ host, port, service: flags.service, rps }).catch(
        (err: unknown) => {
          const why = errorMessage(err);
          throw new CliError(`cannot listen on ${flags.listen}: ${why}`, EXIT.unavailable);
        },
      );
      const log = (line: string) => process.stderr.write(`safedeploy demo-service: ${line}\n`);
      log(`${flags.service} listening on ${host}:${port}, ${rps} requests/s; Ctrl-C to stop`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', resolve).once('SIGTERM', resolve);
      });
      log(`${signal}: stopping`);
      await demo.close();
    });
}

const HELP = `
Endpoints:
  GET  /metrics        http_requests_total{service,code}, http_request_duration_seconds{service}
  GET  /checkout       one real request, with the current faults applied
  GET  /admin/faults   the current faults
  POST /admin/faults   set them, e.g. {"errorRate":0.5,"slowRate":0} (0..1; omitted fields unchanged)
  GET  /healthz`;
