// When the stack is ready — the worker has evaluated the demo service once — and what happens when a
// child dies afterwards (the start command stops the whole stack rather than limp on).
import { connectClient } from '../temporal/connection';
import type { ManagedProcess } from '../process/managed-process';
import { pollUntil } from '../process/poll';
import { fleetQuery, workflowIds } from '../../workflows/messages';
import type { ChildCommon } from './children';

/** Bundling the workflows and the first cycle take a while on a small machine. */
const FIRST_EVALUATION_TIMEOUT_MS = 180_000;
const QUERY_DEADLINE_MS = 3_000;
const WATCH_EVERY_MS = 1_000;

/** Waits until the fleet evaluation has seen `service`; returns the severity it found. */
export async function waitForFirstEvaluation(
  common: ChildCommon,
  service: string,
  worker: ManagedProcess,
): Promise<string> {
  const client = await connectClient({ address: common.temporalAddress, namespace: common.namespace });
  try {
    const handle = client.workflow.getHandle(workflowIds.fleetEvaluation);
    const seen = await pollUntil(
      async () => {
        const fleet = await client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          handle.query(fleetQuery),
        );
        return fleet.services[service];
      },
      {
        timeoutMs: FIRST_EVALUATION_TIMEOUT_MS,
        intervalMs: 1_000,
        what: `the worker's first evaluation of ${service}`,
        abortReason: () => {
          const reason = worker.exitReason();
          return reason === undefined ? undefined : `the worker ${reason}:\n${worker.output().trim()}`;
        },
      },
    );
    return seen.severity;
  } finally {
    await client.connection.close();
  }
}

export interface WatchedChild {
  name: string;
  process: ManagedProcess;
}

/** Reports the first child that exits on its own; returns the function that stops watching. */
export function watchChildren(
  children: WatchedChild[],
  onExit: (name: string, reason: string, output: string) => void,
): () => void {
  const timer = setInterval(() => {
    for (const child of children) {
      const reason = child.process.exitReason();
      if (reason === undefined) continue;
      clearInterval(timer);
      onExit(child.name, reason, child.process.output());
      return;
    }
  }, WATCH_EVERY_MS);
  return () => clearInterval(timer);
}
