// Real SSH keys for tests, made by ssh-keygen as a person would make them, and the allowed_signers
// file that lets them sign as the named people.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestKey {
  /** Who the key signs as in allowed_signers. */
  name: string;
  file: string;
  publicLine: string;
  fingerprint: string;
}

export type TestKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export function makeKey(dir: string, name: string, type: TestKeyType = 'ed25519'): TestKey {
  const file = path.join(dir, `${name}-${type}`);
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', `${name}@test`, '-f', file]);
  const publicLine = readFileSync(`${file}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], {
    encoding: 'utf8',
  }).split(' ')[1]!;
  return { name, file, publicLine, fingerprint };
}

/** One line per key: "<name> <key type> <base64 key>" (git's allowed_signers format). */
export function writeAllowedSigners(file: string, keys: TestKey[]): string {
  writeFileSync(file, keys.map((k) => `${k.name} ${k.publicLine}`).join('\n') + '\n');
  return file;
}

/** Signs `message` with `ssh-keygen -Y sign -n safedeploy`, as a person would by hand. */
export function sshKeygenSign(dir: string, key: TestKey, message: string): string {
  const file = path.join(dir, `message-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, message);
  execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', 'safedeploy', '-f', key.file, file], {
    stdio: 'pipe',
  });
  return readFileSync(`${file}.sig`, 'utf8');
}

/** `ssh-keygen -Y verify`: true when OpenSSH accepts the signature for `principal`. */
export function sshKeygenVerifies(
  dir: string,
  allowedSigners: string,
  principal: string,
  message: string,
  signature: string,
): boolean {
  const sig = path.join(dir, `sig-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(sig, signature);
  try {
    execFileSync(
      'ssh-keygen',
      ['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', 'safedeploy', '-s', sig],
      { input: message, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return true;
  } catch {
    return false;
  }
}
