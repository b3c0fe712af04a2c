// Who is acting, and why: every human action carries --by and --reason (docs/ARCHITECTURE.md
// invariant 12). The workflows check --by against the service's approvers; the CLI only supplies it.
import os from 'node:os';
import { Option, type Command } from 'commander';
import { APPROVER_NAME_RULE, isApproverName } from '../catalog/approver-name';
import { CliError } from './errors';

export interface ActorFlags {
  by: string;
  reason: string;
}

/** $SAFEDEPLOY_USER, else the operating-system user. */
export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.SAFEDEPLOY_USER?.trim();
  if (fromEnv) return fromEnv;
  try {
    return os.userInfo().username;
  } catch {
    // Containers may run as a uid without a passwd entry.
    return 'unknown';
  }
}

/** Adds --by and --reason; `reasonRequired` false only where the workflow supplies a default. */
export function addActorOptions(command: Command, reasonRequired = true): Command {
  const reason = new Option('--reason <text>', 'why: recorded in the incident timeline and the audit log');
  if (reasonRequired) reason.makeOptionMandatory();
  return command
    .addOption(reason)
    .option('--by <user>', 'who is acting (env SAFEDEPLOY_USER, else the OS user)', defaultActor());
}

/** An empty or blank --reason is as good as none: refused before anything is sent. */
export function requireReason(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text === '') throw new CliError('--reason must not be empty: say why, it is recorded in the audit log');
  return text;
}

/** The acting identity, checked against approver lists by the workflow; it must name someone. */
export function requireActor(by: string): string {
  const text = by.trim();
  if (text === '') throw new CliError('--by must name who is acting (or set SAFEDEPLOY_USER)');
  if (!isApproverName(text))
    throw new CliError(`invalid --by ${JSON.stringify(text)}: ${APPROVER_NAME_RULE}`);
  return text;
}
