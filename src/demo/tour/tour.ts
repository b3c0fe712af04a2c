// `safedeploy demo`: a guided tour of the local stack, from a bad release to a recorded postmortem.
import { connectClient } from '../../temporal/connection';
import { resolveDemoContext, type DemoFlags } from './context';
import { runStages, type Stage } from './runner';
import { awaitIncident, checkStack, injectErrors, releaseBadVersion, showProposal } from './stages-break';
import {
  approveRollback,
  awaitMitigated,
  awaitResolved,
  inspectBranch,
  mergeBranch,
  recordPostmortem,
  removeFault,
  summarize,
} from './stages-mend';
import type { TourState } from './state';
import { errorMessage } from '../../errors';

export const TOUR: Stage<TourState>[] = [
  checkStack,
  releaseBadVersion,
  injectErrors,
  awaitIncident,
  showProposal,
  approveRollback,
  inspectBranch,
  mergeBranch,
  awaitMitigated,
  removeFault,
  awaitResolved,
  recordPostmortem,
  summarize,
];

export async function runTour(flags: DemoFlags): Promise<void> {
  const ctx = await resolveDemoContext(flags);
  const client = await connectClient({ address: ctx.temporalAddress, namespace: ctx.namespace }, 5_000).catch(
    (err: unknown) => {
      const why = errorMessage(err);
      throw new Error(
        `cannot reach Temporal at ${ctx.temporalAddress} (is the stack running? npm start): ${why}`,
      );
    },
  );
  try {
    await runStages(TOUR, { ctx, client }, !flags.nonInteractive);
    process.stdout.write('\nTour complete.\n');
  } finally {
    await client.connection.close();
  }
}
