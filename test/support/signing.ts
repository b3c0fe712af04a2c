// Signed human actions in tests: real keys made by ssh-keygen for the people the test catalogs name
// (alice and bob approve; carol and mallory have keys but approve nothing), the allowed_signers
// file the worker verifies against, the CLI's --key flags, and signed signal payloads for tests
// that signal the workflows directly. One set of keys per test process.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  actionStatement,
  type ActionTarget,
  type PostmortemDetail,
} from '../../src/incident/action-statement';
import type { ActionRequest } from '../../src/incident/proposals';
import { parsePrivateKey } from '../../src/signing/private-key';
import { signMessage } from '../../src/signing/sshsig';
import { statementText, type HumanAction } from '../../src/signing/statement';
import { makeKey, writeAllowedSigners, type TestKey } from './ssh-keys';

export const TEST_SIGNERS = ['alice', 'bob', 'carol', 'mallory'] as const;

export interface TestSigning {
  dir: string;
  keys: Record<string, TestKey>;
  /** The allowed_signers file listing every key above under its person's name. */
  allowedSigners: string;
}

let shared: TestSigning | undefined;

/** The process's keys, made once; removed when the process exits. */
export function testSigning(): TestSigning {
  if (shared) return shared;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-keys-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const keys = Object.fromEntries(TEST_SIGNERS.map((name) => [name, makeKey(dir, name)]));
  shared = {
    dir,
    keys,
    allowedSigners: writeAllowedSigners(path.join(dir, 'allowed_signers'), Object.values(keys)),
  };
  return shared;
}

/** What a worker in a test needs to verify signed actions (createSafeDeployWorker's config). */
export function workerSigning(): { allowedSignersFile: string } {
  return { allowedSignersFile: testSigning().allowedSigners };
}

/** The CLI commands that take a human action (and so `--key`). */
const HUMAN_ACTION_COMMANDS = [
  'proposal approve',
  'proposal reject',
  'incident ack',
  'incident mitigate',
  'incident resolve',
  'incident postmortem',
  'freeze lift',
];

/**
 * CLI arguments of a human action with `--key` added for the person named by `--by` (or `defaultBy`, the CLI's
 * SAFEDEPLOY_USER), so a test's command is signed as a person would sign it.
 */
export function signedArgs(args: string[], defaultBy?: string): string[] {
  if (args.includes('--key') || !HUMAN_ACTION_COMMANDS.includes(`${args[0]} ${args[1]}`)) return args;
  const at = args.indexOf('--by');
  const by = at >= 0 ? args[at + 1] : defaultBy;
  const key = by !== undefined ? testSigning().keys[by] : undefined;
  return key ? [...args, '--key', key.file] : args;
}

/**
 * A signal payload signed by `signer` (default: the person in `request.by`) over the statement the
 * workflow rebuilds, as the CLI sends it.
 */
export async function signed<R extends Omit<ActionRequest, 'signedAt' | 'signature'>>(
  action: HumanAction,
  target: ActionTarget,
  request: R,
  options: { signer?: string; keyFile?: string; postmortem?: PostmortemDetail; signedAt?: string } = {},
): Promise<R & { signedAt: string; signature: string }> {
  const keyFile = options.keyFile ?? testSigning().keys[options.signer ?? request.by]?.file;
  if (!keyFile) throw new Error(`no test key for ${options.signer ?? request.by}`);
  const signedAt = options.signedAt ?? new Date().toISOString();
  const statement = actionStatement(action, target, request, signedAt, options.postmortem);
  const signer = parsePrivateKey(readFileSync(keyFile, 'utf8'));
  const signature = await signMessage(signer, Buffer.from(statementText(statement), 'utf8'));
  return { ...request, signedAt, signature };
}

/** A signed approval of `proposal` (an id or a type) on an incident, as `safedeploy proposal approve` sends it. */
export function signedApproval(
  incident: { incidentId: string; service: string },
  proposal: string,
  request: { requestId: string; by: string; reason: string },
) {
  const { incidentId, service } = incident;
  return signed('approve', { kind: 'proposal', incidentId, service, proposal }, { ...request, proposal });
}
