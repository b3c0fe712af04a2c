// A human action from the CLI: one signal carrying a fresh requestId and the actor's signature over
// the action's statement, then the workflow's answer (outcomeQuery) polled until it is final. The
// workflow decides — signature, approver lists, quorum, states, expiry — and records refusals too;
// the CLI only reports what it decided.
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import { pollUntil } from '../process/poll';
import { actionStatement, type ActionTarget, type PostmortemDetail } from '../incident/action-statement';
import type { ActionRequest } from '../incident/proposals';
import type { HumanAction } from '../signing/statement';
import { outcomeQuery, type ActionOutcome } from '../../workflows/messages';
import { CliError, EXIT } from './errors';
import { printJson, printText } from './output';
import {
  actionSigner,
  addSigningOptions,
  signStatement,
  withSigningHint,
  type SigningFlags,
} from './signing';
import { messageOf } from './temporal-options';

export interface WaitFlags extends SigningFlags {
  wait: string;
  json?: boolean;
}

/** --wait, --key and --json: every human-action command has them. */
export function addWaitOption(command: Command): Command {
  return addSigningOptions(command)
    .option('--wait <seconds>', 'how long to wait for the workflow to answer', '120')
    .option('--json', 'print the outcome as JSON (accepted, message, requestId, fingerprint)');
}

/** What is signed: the action, what it acts on, and who and why (src/incident/action-statement.ts). */
export interface ActionSpec {
  action: HumanAction;
  target: ActionTarget;
  request: { by: string; reason: string };
  postmortem?: PostmortemDetail;
}

/** The outcome, with the key that signed the request (absent when it went unsigned). */
export interface SignedOutcome extends ActionOutcome {
  fingerprint?: string;
}

export interface WorkflowTarget {
  workflowId: string;
  /** What the operator called it, for messages: an incident id, "the freeze of checkout". */
  label: string;
  /** A command that shows where things stand, suggested when the answer takes too long. */
  follow: string;
}

/** Sends the action and waits for its final outcome; non-final answers are shown as progress. */
export async function performAction(
  client: Client,
  target: WorkflowTarget,
  spec: ActionSpec,
  send: (handle: WorkflowHandle, request: ActionRequest) => Promise<void>,
  flags: WaitFlags,
): Promise<SignedOutcome> {
  const timeoutMs = waitMs(flags.wait);
  const requestId = randomUUID();
  const request: ActionRequest = { ...spec.request, requestId };
  const signer = await actionSigner(flags);
  if (signer) {
    const signedAt = new Date().toISOString();
    const statement = actionStatement(spec.action, spec.target, request, signedAt, spec.postmortem);
    request.signedAt = signedAt;
    request.signature = await signStatement(signer, statement);
    process.stderr.write(`signed as ${request.by} with ${signer.fingerprint} (${signer.source})\n`);
  } else if (!flags.json) {
    process.stderr.write('sending unsigned: no --key, SAFEDEPLOY_SIGNING_KEY or ssh-agent key\n');
  }
  const handle = client.workflow.getHandle(target.workflowId);
  try {
    await send(handle, request);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new CliError(
        `${target.label} is no longer running; nothing was sent (see: ${target.follow})`,
        EXIT.failure,
      );
    }
    throw err;
  }
  const outcome = await awaitFinal(handle, requestId, target, timeoutMs);
  return {
    ...outcome,
    message: withSigningHint(outcome.message, signer !== undefined),
    ...(signer ? { fingerprint: signer.fingerprint } : {}),
  };
}

async function awaitFinal(
  handle: WorkflowHandle,
  requestId: string,
  target: WorkflowTarget,
  timeoutMs: number,
): Promise<ActionOutcome> {
  let shown = '';
  let latest: ActionOutcome | undefined;
  const probe = async (): Promise<ActionOutcome | undefined> => {
    latest = (await handle.query(outcomeQuery, requestId)) ?? latest;
    // Progress of an accepted action (the change is opening); not the worker checking the signature.
    if (latest && latest.accepted && !latest.final && latest.message !== shown) {
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

/** Prints an accepted outcome (exit 0); a refusal is one line on stderr and exit 1 (with --json: the outcome on stdout). */
export function reportOutcome(outcome: SignedOutcome, flags: { json?: boolean } = {}): number {
  if (flags.json) {
    printJson(outcome);
    return outcome.accepted ? EXIT.ok : EXIT.failure;
  }
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
