// A human action from the CLI: one signal carrying a fresh requestId, then the workflow's answer
// (outcomeQuery) polled until it is final. The workflow decides — approver lists, states, expiry —
// and records refusals too; the CLI only reports what it decided.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import { pollUntil } from '../process/poll';
import { outcomeQuery, type ActionOutcome } from '../../workflows/messages';
import { CliError, EXIT } from './errors';
import { printText } from './output';
import { messageOf } from './temporal-options';

export interface WaitFlags {
  wait: string;
}

export function addWaitOption(command: Command): Command {
  return command.option('--wait <seconds>', 'how long to wait for the workflow to answer', '120');
}

export interface ActionTarget {
  workflowId: string;
  /** What the operator called it, for messages: an incident id, "the freeze of checkout". */
  label: string;
  /** A command that shows where things stand, suggested when the answer takes too long. */
  follow: string;
}

/** Sends the action and waits for its final outcome; non-final answers are shown as progress. */
export async function performAction(
  client: Client,
  target: ActionTarget,
  send: (handle: WorkflowHandle, requestId: string) => Promise<void>,
  flags: WaitFlags,
): Promise<ActionOutcome> {
  const timeoutMs = waitMs(flags.wait);
  const requestId = randomUUID();
  const handle = client.workflow.getHandle(target.workflowId);
  try {
    await send(handle, requestId);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(
        `${target.label} is no longer running; nothing was sent (see: ${target.follow})`,
        EXIT.failure,
      );
    }
    throw err;
  }
  return awaitFinal(handle, requestId, target, timeoutMs);
}

async function awaitFinal(
  handle: WorkflowHandle,
  requestId: string,
  target: ActionTarget,
  timeoutMs: number,
): Promise<ActionOutcome> {
  let shown = '';
  let latest: ActionOutcome | undefined;
  const probe = async (): Promise<ActionOutcome | undefined> => {
    latest = (await handle.query(outcomeQuery, requestId)) ?? latest;
    if (latest && !latest.final && latest.message !== shown) {
      shown = latest.message;
      process.stderr.write(`${shown} …\n`);
    }
    return latest?.final ? latest : undefined;
  };
  try {
    return await pollUntil(probe, { timeoutMs, intervalMs: 250, what: `the answer to request ${requestId}` });
  } catch (err) {
    const state = latest
      ? `last answer: "${latest.message}"`
      : `no answer yet (${messageOf(err)}); is a SafeDeploy worker running?`;
    throw new CliError(
      `${target.label} did not finish within ${timeoutMs / 1000}s, ${state} (follow with: ${target.follow})`,
      latest ? EXIT.failure : EXIT.unavailable,
    );
  }
}

/** Prints an accepted outcome (exit 0); a refusal is one line on stderr and exit 1. */
export function reportOutcome(outcome: ActionOutcome): number {
  if (!outcome.accepted) throw new CliError(outcome.message, EXIT.failure);
  printText(outcome.message);
  return EXIT.ok;
}

function waitMs(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new CliError(`invalid --wait "${text}": expected seconds > 0`);
  return seconds * 1000;
}
