// SSH public keys: the wire blob inside signatures, agents and authorized-key lines, turned into a
// node:crypto key; and the fingerprint people compare (SHA256:…, as ssh-keygen -l prints it).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { SshFormatError, WireReader } from './wire';
import { errorMessage } from '../errors';

/** The key types SafeDeploy verifies: ed25519, RSA and the three NIST ECDSA curves. */
export const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export const ECDSA_CURVES = {
  'ecdsa-sha2-nistp256': { crv: 'P-256', hash: 'sha256', size: 32 },
  'ecdsa-sha2-nistp384': { crv: 'P-384', hash: 'sha384', size: 48 },
  'ecdsa-sha2-nistp521': { crv: 'P-521', hash: 'sha512', size: 66 },
} as const;

export interface SshPublicKey {
  type: KeyType;
  /** The wire blob: what fingerprints and comparisons are made of. */
  blob: Buffer;
  key: KeyObject;
}

export function isKeyType(t: string): t is KeyType {
  return (KEY_TYPES as readonly string[]).includes(t);
}

const b64url = (b: Buffer) => b.toString('base64url');

export function parsePublicKeyBlob(blob: Buffer): SshPublicKey {
  const r = new WireReader(blob);
  const type = r.text();
  if (!isKeyType(type)) throw new SshFormatError(`unsupported key type ${type}`);
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const pub = r.string();
    if (pub.length !== 32) throw new SshFormatError('bad ed25519 public key');
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(pub) };
  } else if (type === 'ssh-rsa') {
    const e = r.mpint();
    const n = r.mpint();
    jwk = { kty: 'RSA', n: b64url(n), e: b64url(e) };
  } else {
    const curve = ECDSA_CURVES[type];
    r.text(); // the curve's name, implied by the type
    const point = r.string();
    if (point.length !== 1 + 2 * curve.size || point[0] !== 4)
      throw new SshFormatError(`bad ${type} public point`);
    jwk = {
      kty: 'EC',
      crv: curve.crv,
      x: b64url(point.subarray(1, 1 + curve.size)),
      y: b64url(point.subarray(1 + curve.size)),
    };
  }
  if (!r.done) throw new SshFormatError(`trailing data after the ${type} key`);
  try {
    return { type, blob, key: createPublicKey({ key: jwk, format: 'jwk' }) };
  } catch (err) {
    throw new SshFormatError(`invalid ${type} key: ${errorMessage(err)}`);
  }
}

/** "ssh-ed25519 AAAA… comment" (a .pub file or an allowed_signers key). */
export function parsePublicKeyLine(line: string): SshPublicKey {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data) throw new SshFormatError('expected "<key type> <base64 key>"');
  const key = parsePublicKeyBlob(Buffer.from(data, 'base64'));
  if (key.type !== type) throw new SshFormatError(`key type ${type} does not match its data (${key.type})`);
  return key;
}

export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function publicKeyLine(blob: Buffer): string {
  return `${new WireReader(blob).text()} ${blob.toString('base64')}`;
}
