// The `safedeploy` subcommands the CLI registers, for checking what compose and Kubernetes run. Apart from
// support.ts because the CLI pulls in the Temporal worker, which only these tests need.
import { buildProgram } from '../../../src/cli/main';

export function cliCommands(): string[] {
  return buildProgram().commands.map((command) => command.name());
}
