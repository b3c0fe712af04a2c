// Signing with an OpenSSH private key file (the "openssh-key-v1" format ssh-keygen writes). Keys
// protected by a passphrase are left to the ssh-agent, which already knows how to ask for it.
import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ECDSA_CURVES, isKeyType, type KeyType } from './keys';
import { ecdsaInner, type Signer } from './sshsig';
import { SshFormatError, WireReader, sshString } from './wire';
import { errorCode, errorMessage } from '../errors';

const MAGIC = Buffer.from('openssh-key-v1\0');
const PEM = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;

export async function keyFileSigner(file: string): Promise<Signer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SshFormatError(`cannot read key ${file}: ${errorCode(err)}`);
  }
  try {
    return parsePrivateKey(text);
  } catch (err) {
    throw new SshFormatError(`${file}: ${errorMessage(err)}`);
  }
}

export function parsePrivateKey(text: string): Signer {
  const pem = PEM.exec(text);
  if (!pem) throw new SshFormatError('not an OpenSSH private key (ssh-keygen writes them)');
  const r = new WireReader(Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64'));
  if (!r.bytes(MAGIC.length).equals(MAGIC)) throw new SshFormatError('not an openssh-key-v1 key');
  const cipher = r.text();
  r.text(); // kdf
  r.string(); // kdf options
  if (cipher !== 'none')
    throw new SshFormatError(
      'the key is protected by a passphrase: add it to the ssh-agent (ssh-add) and sign through SSH_AUTH_SOCK',
    );
  if (r.uint32() !== 1) throw new SshFormatError('expected exactly one key in the file');
  const publicKeyBlob = Buffer.from(r.string());
  const p = new WireReader(r.string());
  if (p.uint32() !== p.uint32()) throw new SshFormatError('corrupt private key (check bytes differ)');
  const type = p.text();
  if (!isKeyType(type)) throw new SshFormatError(`unsupported key type ${type}`);
  const key = privateKeyObject(type, p);
  return { publicKeyBlob, sign: (data) => Promise.resolve(signWith(type, key, data)) };
}

const b64url = (b: Buffer) => b.toString('base64url');
const big = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const bytes = (n: bigint) => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
};

function privateKeyObject(type: KeyType, p: WireReader): KeyObject {
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') {
    const pub = p.string();
    const secret = p.string(); // seed ‖ public key
    jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(pub), d: b64url(secret.subarray(0, 32)) };
  } else if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, pp, q] = [p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint(), p.mpint()];
    const D = big(d);
    jwk = {
      kty: 'RSA',
      n: b64url(n),
      e: b64url(e),
      d: b64url(d),
      p: b64url(pp),
      q: b64url(q),
      dp: b64url(bytes(D % (big(pp) - 1n))),
      dq: b64url(bytes(D % (big(q) - 1n))),
      qi: b64url(iqmp),
    };
  } else {
    const curve = ECDSA_CURVES[type];
    p.text();
    const point = p.string();
    const d = p.mpint();
    const pad = (b: Buffer) => Buffer.concat([Buffer.alloc(curve.size - b.length), b]);
    jwk = {
      kty: 'EC',
      crv: curve.crv,
      x: b64url(point.subarray(1, 1 + curve.size)),
      y: b64url(point.subarray(1 + curve.size)),
      d: b64url(pad(d)),
    };
  }
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function signWith(type: KeyType, key: KeyObject, data: Buffer): Buffer {
  if (type === 'ssh-ed25519') return Buffer.concat([sshString(type), sshString(cryptoSign(null, data, key))]);
  if (type === 'ssh-rsa')
    return Buffer.concat([sshString('rsa-sha2-512'), sshString(cryptoSign('sha512', data, key))]);
  const curve = ECDSA_CURVES[type];
  return ecdsaInner(type, cryptoSign(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }));
}
