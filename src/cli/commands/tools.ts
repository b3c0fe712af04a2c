// `safedeploy tools install`: find or fetch the Temporal CLI (dev server), Prometheus and Alertmanager that local runs,
// tests and CI use. Progress goes to stderr (a first Temporal build takes minutes); paths go to stdout.
import type { Command } from 'commander';
import { describeInstalledTools, installTools } from '../../tools/install';
import { CliError, EXIT } from '../errors';
import { errorMessage } from '../../errors';

export function registerToolsCommands(program: Command): void {
  const tools = program
    .command('tools')
    .description(
      'External tools SafeDeploy runs locally: Temporal CLI (dev server), Prometheus and Alertmanager',
    );
  tools
    .command('install')
    .description(
      'Find or install the Temporal CLI, Prometheus and Alertmanager into the tools cache ' +
        '($XDG_CACHE_HOME/safedeploy); honours $TEMPORAL_CLI, $PROMETHEUS_BIN and $ALERTMANAGER_BIN',
    )
    .option('--json', 'print the tool paths as JSON')
    .option(
      '--test-backends',
      'also Prometheus 3 and Sloth (Go builds) and VictoriaMetrics, which the backend tests use',
    )
    .action(async (options: { json?: boolean; testBackends?: boolean }) => {
      const log = (message: string): void => {
        process.stderr.write(`safedeploy tools: ${message}\n`);
      };
      try {
        const installed = await installTools({ log, testBackends: options.testBackends === true });
        process.stdout.write(describeInstalledTools(installed, options.json === true));
      } catch (err) {
        throw new CliError(errorMessage(err), EXIT.unavailable);
      }
    });
}
