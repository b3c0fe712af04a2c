// `safedeploy freeze list|lift`: a freeze is a durable timer per service with an exhausted budget;
// an approver may lift it early with a reason (break-glass, audited by the freeze workflow).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { listFreezes } from '../../operator/incidents';
import { liftFreezeSignal, workflowIds } from '../../../workflows/messages';
import { addWaitOption, performAction, reportOutcome, type WaitFlags } from '../actions';
import { CliError, EXIT } from '../errors';
import { addActorOptions, requireActor, requireReason, type ActorFlags } from '../identity';
import { printJson } from '../output';
import { addTemporalOptions, withTemporal, type TemporalFlags } from '../temporal-options';
import { renderFreezeList } from '../views/freeze-table';

export function registerFreezeCommands(program: Command): void {
  const freeze = program.command('freeze').description('List and lift change freezes');
  addTemporalOptions(freeze.command('list').description('List active freezes'))
    .option('--all', 'include lifted and expired freezes')
    .option('--json', 'print the freezes as JSON')
    .addHelpText('after', '\nExit codes: 0 listed, 2 bad usage, 3 Temporal unreachable.')
    .action(async (flags: TemporalFlags & { all?: boolean; json?: boolean }) => {
      process.exitCode = await withTemporal(flags, async (client) => {
        const freezes = await listFreezes(client, flags.all === true);
        if (flags.json) printJson({ freezes });
        else process.stdout.write(renderFreezeList(freezes, flags.all === true));
        return EXIT.ok;
      });
    });
  const lift = freeze
    .command('lift')
    .argument('<service>', 'the frozen service')
    .description("Lift a service's freeze early (approvers only; break-glass, audited)");
  addWaitOption(addTemporalOptions(addActorOptions(lift)))
    .addHelpText(
      'after',
      '\nExit codes: 0 lifted, 1 refused or no active freeze, 2 bad usage, 3 Temporal unreachable.',
    )
    .action(async (service: string, flags: TemporalFlags & ActorFlags & WaitFlags) => {
      const request = { by: requireActor(flags.by), reason: requireReason(flags.reason) };
      process.exitCode = await withTemporal(flags, async (client) => {
        await requireActiveFreeze(client, service);
        const target = {
          workflowId: workflowIds.freeze(service),
          label: `the freeze of ${service}`,
          follow: 'safedeploy freeze list --all',
        };
        const spec = { action: 'lift-freeze', target: { kind: 'freeze', service }, request } as const;
        const outcome = await performAction(
          client,
          target,
          spec,
          (h, signed) => h.signal(liftFreezeSignal, signed),
          flags,
        );
        return reportOutcome(outcome, flags);
      });
    });
}

async function requireActiveFreeze(client: Client, service: string): Promise<void> {
  const description = await client.workflow
    .getHandle(workflowIds.freeze(service))
    .describe()
    .catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  if (description?.status.name !== 'RUNNING') {
    throw new CliError(`no active freeze for "${service}" (try: safedeploy freeze list)`, EXIT.failure);
  }
}
