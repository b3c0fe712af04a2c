// `safedeploy demo`: the guided tour against a running local stack (`npm start`).
import type { Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import type { DemoFlags } from '../../demo/tour/context';
import { runTour } from '../../demo/tour/tour';
import { StageFailure } from '../../demo/tour/runner';
import { CliError, EXIT } from '../errors';
import { DEMO_SERVICE_DEFAULTS } from './demo-service';
import { errorMessage } from '../../errors';

/** The tour's flags as commander hands them over: the error rate still as text. */
type DemoCommandFlags = Omit<DemoFlags, 'errorRate'> & { errorRate: string };

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Guided tour of the local stack: bad release → incident → approved rollback → postmortem')
    .option(
      '--non-interactive',
      'run straight through (no pauses); exit non-zero naming the stage that failed',
    )
    .option(
      '--data-dir <dir>',
      "the stack's data folder, holding stack.json (env SAFEDEPLOY_DATA_DIR)",
      dataDirDefault(),
    )
    .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS; default: the stack’s)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE)')
    .option('--prometheus <url>', 'Prometheus base URL (env PROMETHEUS_URL)')
    .option('--demo-service <url>', 'the demo service (default http://127.0.0.1:8081)')
    .option('--web-ui <url>', 'Temporal Web UI, for links (default http://127.0.0.1:8233)')
    .option('--catalog <dir>', 'catalog the stack runs (env SAFEDEPLOY_CATALOG; default <data-dir>/catalog)')
    .option('--service <name>', 'the service to break', DEMO_SERVICE_DEFAULTS.service)
    .option('--error-rate <share>', 'share of requests to fail, 0 < share <= 1', '0.5')
    .addHelpText('after', HELP)
    .action(async (flags: DemoCommandFlags) => {
      const errorRate = Number(flags.errorRate);
      if (!(errorRate > 0 && errorRate <= 1))
        throw new CliError(`invalid --error-rate "${flags.errorRate}": expected 0 < share <= 1`);
      try {
        await runTour({ ...flags, errorRate, ...(flags.nonInteractive ? { nonInteractive: true } : {}) });
      } catch (err) {
        if (err instanceof StageFailure) throw new CliError(err.message, EXIT.failure);
        throw new CliError(errorMessage(err), EXIT.unavailable);
      }
    });
}

const HELP = `
Needs the stack of \`safedeploy start\` (npm start) running; its addresses come from flags, the
environment, or <data-dir>/stack.json. The tour takes about 8 minutes, most of it waiting for the
burn-rate windows: a minute or two for the incident to open, about 5 minutes to resolve.
Each run spends a few percent of checkout's 30-day error budget; after several runs in a day the
slow-burn rule fires, as it should (start again on a fresh --data-dir to reset).
Exit codes: 0 the tour completed, 1 a stage failed (named on stderr), 2 bad usage, 3 stack unreachable.`;
