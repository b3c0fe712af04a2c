// Signing through the running ssh-agent (SSH_AUTH_SOCK), in the agent protocol OpenSSH speaks
// (draft-miller-ssh-agent): list the identities, then ask the agent to sign with one of them.
import net from 'node:net';
import { isKeyType } from './keys';
import type { Signer } from './sshsig';
import { SshFormatError, WireReader, sshString, uint32 } from './wire';

const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;
/** Ask for rsa-sha2-512 rather than SHA-1 ssh-rsa signatures. */
const RSA_SHA2_512 = 4;

export interface AgentIdentity {
  blob: Buffer;
  comment: string;
}

export class AgentError extends Error {
  override name = 'AgentError';
}

function request(socket: string, type: number, payload: Buffer): Promise<WireReader> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket);
    const chunks: Buffer[] = [];
    conn.setTimeout(30_000, () => conn.destroy(new AgentError('the ssh-agent did not answer in 30s')));
    conn.on('error', (err) =>
      reject(new AgentError(`cannot reach the ssh-agent at ${socket}: ${err.message}`)),
    );
    conn.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readUInt32BE(0)) {
        conn.end();
        resolve(new WireReader(all.subarray(4, 4 + all.readUInt32BE(0))));
      }
    });
    const body = Buffer.concat([Buffer.of(type), payload]);
    conn.write(Buffer.concat([uint32(body.length), body]));
  });
}

export async function agentIdentities(socket: string): Promise<AgentIdentity[]> {
  const r = await request(socket, REQUEST_IDENTITIES, Buffer.alloc(0));
  if (r.byte() !== IDENTITIES_ANSWER) throw new AgentError('the ssh-agent refused to list its keys');
  const count = r.uint32();
  const ids: AgentIdentity[] = [];
  for (let i = 0; i < count; i++) ids.push({ blob: Buffer.from(r.string()), comment: r.text() });
  return ids;
}

export function agentSigner(socket: string, publicKeyBlob: Buffer): Signer {
  return {
    publicKeyBlob,
    async sign(data) {
      const keyType = new WireReader(publicKeyBlob).text();
      const flags = keyType === 'ssh-rsa' ? RSA_SHA2_512 : 0;
      const r = await request(
        socket,
        SIGN_REQUEST,
        Buffer.concat([sshString(publicKeyBlob), sshString(data), uint32(flags)]),
      );
      if (r.byte() !== SIGN_RESPONSE)
        throw new AgentError('the ssh-agent refused to sign (is the key confirmed?)');
      return Buffer.from(r.string());
    },
  };
}

/** The agent's first key SafeDeploy can use (certificates and security keys are skipped). */
export async function firstUsableIdentity(socket: string): Promise<AgentIdentity> {
  const ids = await agentIdentities(socket);
  const usable = ids.find((id) => {
    try {
      return isKeyType(new WireReader(id.blob).text());
    } catch (err) {
      if (err instanceof SshFormatError) return false;
      throw err;
    }
  });
  if (!usable)
    throw new AgentError(
      'the ssh-agent holds no ed25519, RSA or ECDSA key (add one with ssh-add, or pass --key)',
    );
  return usable;
}
