// Signing a human action in the CLI: with --key FILE (or SAFEDEPLOY_SIGNING_KEY), else the first
// usable key of the running ssh-agent (SSH_AUTH_SOCK), else nothing (the worker then refuses the
// action if the service requires signatures). The worker verifies; signing here only proves who sent it.
import type { Command } from 'commander';
import { AgentError, agentSigner, firstUsableIdentity } from '../signing/agent';
import { fingerprint } from '../signing/keys';
import { keyFileSigner } from '../signing/private-key';
import { signMessage, type Signer } from '../signing/sshsig';
import { statementText, type ActionStatement } from '../signing/statement';
import { SshFormatError } from '../signing/wire';
import { CliError } from './errors';

export interface SigningFlags {
  key?: string;
}

export interface ActionSigner {
  signer: Signer;
  fingerprint: string;
  /** Where the key came from, for the message naming it. */
  source: string;
}

export function addSigningOptions(command: Command): Command {
  return command.option(
    '--key <file>',
    'sign the action with this OpenSSH private key (env SAFEDEPLOY_SIGNING_KEY); default: the ssh-agent (SSH_AUTH_SOCK)',
    process.env.SAFEDEPLOY_SIGNING_KEY,
  );
}

/** The key to sign with; undefined when there is none (no --key, no agent or an agent without keys). */
export async function actionSigner(
  flags: SigningFlags,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ActionSigner | undefined> {
  if (flags.key) {
    const signer = await keyFileSigner(flags.key).catch((err: unknown) => {
      if (err instanceof SshFormatError) throw new CliError(`invalid --key: ${err.message}`);
      throw err;
    });
    return { signer, fingerprint: fingerprint(signer.publicKeyBlob), source: flags.key };
  }
  const socket = env.SSH_AUTH_SOCK;
  if (!socket) return undefined;
  try {
    const identity = await firstUsableIdentity(socket);
    return {
      signer: agentSigner(socket, identity.blob),
      fingerprint: fingerprint(identity.blob),
      source: `ssh-agent key ${identity.comment || '(no comment)'}`,
    };
  } catch (err) {
    if (!(err instanceof AgentError)) throw err;
    warn(`not signing: ${err.message}`);
    return undefined;
  }
}

/** The statement signed as `ssh-keygen -Y sign -n safedeploy` would sign it. */
export async function signStatement(signer: ActionSigner, statement: ActionStatement): Promise<string> {
  try {
    return await signMessage(signer.signer, Buffer.from(statementText(statement), 'utf8'));
  } catch (err) {
    throw new CliError(
      `cannot sign with ${signer.source}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** A refusal for a missing signature says how to sign. */
export function withSigningHint(message: string, signed: boolean): string {
  if (signed || !message.includes('unsigned')) return message;
  return `${message}; pass --key FILE (an OpenSSH private key listed in the worker's allowed signers) or add the key to ssh-agent`;
}
