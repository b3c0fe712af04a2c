// SSH signatures in the format `ssh-keygen -Y sign` writes and `ssh-keygen -Y verify` reads
// (OpenSSH's PROTOCOL.sshsig): the signer's public key, a namespace that stops a signature made for
// one purpose (a git commit, say) from being replayed for another, and a signature over a digest of
// the message. Verified with node:crypto; signed by a Signer (a key file or the ssh-agent).
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { ECDSA_CURVES, fingerprint, parsePublicKeyBlob, type SshPublicKey } from './keys';
import { SshFormatError, WireReader, sshMpint, sshString, uint32 } from './wire';

export const NAMESPACE = 'safedeploy';
const MAGIC = Buffer.from('SSHSIG');
const VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

export interface SshSignature {
  publicKey: SshPublicKey;
  namespace: string;
  hashAlgorithm: 'sha256' | 'sha512';
  /** e.g. ssh-ed25519, rsa-sha2-512, ecdsa-sha2-nistp256. */
  signatureAlgorithm: string;
  signature: Buffer;
}

/** Produces the inner signature blob (algorithm name + signature) over `data` with the given key. */
export interface Signer {
  publicKeyBlob: Buffer;
  sign(data: Buffer): Promise<Buffer>;
}

export function parseArmored(armored: string): SshSignature {
  const text = armored.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END))
    throw new SshFormatError('not an SSH signature (expected -----BEGIN SSH SIGNATURE-----)');
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new SshFormatError('SSH signature is not base64');
  return parseSignatureBlob(Buffer.from(body, 'base64'));
}

function parseSignatureBlob(blob: Buffer): SshSignature {
  const r = new WireReader(blob);
  if (!r.bytes(MAGIC.length).equals(MAGIC)) throw new SshFormatError('missing SSHSIG preamble');
  const version = r.uint32();
  if (version !== VERSION) throw new SshFormatError(`unsupported SSHSIG version ${version}`);
  const publicKey = parsePublicKeyBlob(r.string());
  const namespace = r.text();
  r.string(); // reserved
  const hashAlgorithm = r.text();
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512')
    throw new SshFormatError(`unsupported SSHSIG hash ${hashAlgorithm}`);
  const inner = new WireReader(r.string());
  if (!r.done) throw new SshFormatError('trailing data after the SSH signature');
  const signatureAlgorithm = inner.text();
  const signature = inner.string();
  return { publicKey, namespace, hashAlgorithm, signatureAlgorithm, signature };
}

/** What is actually signed: the preamble, namespace and hash algorithm bind the message's digest. */
function signedData(message: Buffer, namespace: string, hashAlgorithm: 'sha256' | 'sha512'): Buffer {
  return Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(''),
    sshString(hashAlgorithm),
    sshString(createHash(hashAlgorithm).update(message).digest()),
  ]);
}

/** Why the signature does not hold for `message` in `namespace`, or null when it does. */
export function signatureProblem(sig: SshSignature, message: Buffer, namespace = NAMESPACE): string | null {
  if (sig.namespace !== namespace)
    return `the signature is for namespace "${sig.namespace}", not "${namespace}"`;
  const data = signedData(message, namespace, sig.hashAlgorithm);
  const ok = verifyRaw(sig, data);
  return ok ? null : 'the signature does not match the statement';
}

function verifyRaw(sig: SshSignature, data: Buffer): boolean {
  const { publicKey: pk, signatureAlgorithm: alg, signature } = sig;
  try {
    if (pk.type === 'ssh-ed25519')
      return alg === 'ssh-ed25519' && cryptoVerify(null, data, pk.key, signature);
    if (pk.type === 'ssh-rsa') {
      // ssh-rsa (SHA-1) signatures are refused, as ssh-keygen -Y verify refuses them.
      const hash = alg === 'rsa-sha2-512' ? 'sha512' : alg === 'rsa-sha2-256' ? 'sha256' : null;
      return hash !== null && cryptoVerify(hash, data, pk.key, signature);
    }
    const curve = ECDSA_CURVES[pk.type];
    if (alg !== pk.type) return false;
    const rs = new WireReader(signature);
    const p1363 = Buffer.concat([pad(rs.mpint(), curve.size), pad(rs.mpint(), curve.size)]);
    return cryptoVerify(curve.hash, data, { key: pk.key, dsaEncoding: 'ieee-p1363' }, p1363);
  } catch {
    return false;
  }
}

function pad(n: Buffer, size: number): Buffer {
  if (n.length > size) throw new SshFormatError('ECDSA signature component too long');
  return Buffer.concat([Buffer.alloc(size - n.length), n]);
}

/** Signs `message` as `ssh-keygen -Y sign -n <namespace>` would, returning the armored signature. */
export async function signMessage(signer: Signer, message: Buffer, namespace = NAMESPACE): Promise<string> {
  const hashAlgorithm = 'sha512';
  const inner = await signer.sign(signedData(message, namespace, hashAlgorithm));
  const blob = Buffer.concat([
    MAGIC,
    uint32(VERSION),
    sshString(signer.publicKeyBlob),
    sshString(namespace),
    sshString(''),
    sshString(hashAlgorithm),
    sshString(inner),
  ]);
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? [];
  return [BEGIN, ...lines, END].join('\n') + '\n';
}

/** The inner signature blob for an ECDSA signature given as DER or r||s. */
export function ecdsaInner(type: string, p1363: Buffer): Buffer {
  const half = p1363.length / 2;
  return Buffer.concat([
    sshString(type),
    sshString(Buffer.concat([sshMpint(p1363.subarray(0, half)), sshMpint(p1363.subarray(half))])),
  ]);
}

export function signatureFingerprint(sig: SshSignature): string {
  return fingerprint(sig.publicKey.blob);
}
