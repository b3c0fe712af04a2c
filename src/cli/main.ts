// `safedeploy` command line. Each noun registers its commands from its own module; exit codes are
// documented in README.md ("Exit codes").
import { Command, CommanderError } from 'commander';
import { registerApiCommand } from './commands/api';
import { registerAuditCommands } from './commands/audit';
import { registerCatalogCommands } from './commands/catalog';
import { registerDbCommands } from './commands/db';
import { registerDemoCommand } from './commands/demo';
import { registerDemoServiceCommand } from './commands/demo-service';
import { registerEvaluateCommand } from './commands/evaluate';
import { registerFreezeCommands } from './commands/freeze';
import { registerGateCommand } from './commands/gate';
import { registerIncidentCommands } from './commands/incident';
import { registerNotifyCommands } from './commands/notify';
import { registerProposalCommands } from './commands/proposal';
import { registerReportCommand } from './commands/report';
import { registerRulesCommands } from './commands/rules';
import { registerSeedEnvCommand } from './commands/seed-env';
import { registerStartCommand } from './commands/start';
import { registerToolsCommands } from './commands/tools';
import { registerWorkerCommand } from './commands/worker';
import { redact } from '../evidence/redact';
import { CliError, EXIT } from './errors';

export function buildProgram(): Command {
  const program = new Command('safedeploy')
    .description('SLO-driven reliability control plane: budgets, burn rates, incidents and GitOps proposals')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerCatalogCommands(program);
  registerEvaluateCommand(program);
  registerReportCommand(program);
  registerGateCommand(program);
  registerRulesCommands(program);
  registerIncidentCommands(program);
  registerProposalCommands(program);
  registerFreezeCommands(program);
  registerAuditCommands(program);
  registerDbCommands(program);
  registerNotifyCommands(program);
  registerWorkerCommand(program);
  registerApiCommand(program);
  registerToolsCommands(program);
  registerStartCommand(program);
  registerSeedEnvCommand(program);
  registerDemoCommand(program);
  registerDemoServiceCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliError) {
      // Last line of defence: no credential-shaped text (URL user info, ?token=) reaches the terminal.
      process.stderr.write(`safedeploy: ${redact(err.message)}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
