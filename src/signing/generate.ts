// New ed25519 keys in the files ssh-keygen writes (an unencrypted "openssh-key-v1" private key and a
// .pub line), made with node:crypto so the local demo needs no OpenSSH install.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { sshString, uint32 } from './wire';

const MAGIC = Buffer.from('openssh-key-v1\0');

export interface GeneratedKey {
  /** The OpenSSH private key file's text (unencrypted). */
  privateKey: string;
  /** "ssh-ed25519 AAAA… comment", as in a .pub file. */
  publicLine: string;
}

export function generateEd25519(comment: string): GeneratedKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let section = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Padded with 1, 2, 3 … to the cipher block size (8 for "none").
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(blob),
    sshString(section),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: [
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      ...lines,
      '-----END OPENSSH PRIVATE KEY-----',
      '',
    ].join('\n'),
    publicLine: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
  };
}
