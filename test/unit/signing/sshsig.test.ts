// SSHSIG interoperability with the real ssh-keygen, both ways, for every key type SafeDeploy accepts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllowedSigners, signerProblem } from '../../../src/signing/allowed-signers';
import { agentIdentities, agentSigner } from '../../../src/signing/agent';
import { keyFileSigner } from '../../../src/signing/private-key';
import { fingerprint, parsePublicKeyLine } from '../../../src/signing/keys';
import { parseArmored, signMessage } from '../../../src/signing/sshsig';
import { verifySignedStatement, type SignatureVerdict } from '../../../src/signing/verify';
import {
  makeKey,
  sshKeygenSign,
  sshKeygenVerifies,
  writeAllowedSigners,
  type TestKeyType,
} from '../../support/ssh-keys';

const dir = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-sshsig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The refusal of a verdict that must be refused. */
function refusalOf(verdict: SignatureVerdict): string {
  if (verdict.ok) throw new Error('expected a refusal, the signature was accepted');
  return verdict.refusal;
}

const AT = '2026-12-01T12:00:00.000Z';
const MESSAGE = 'safedeploy-action/v1\naction: approve\n';

describe.each<TestKeyType>(['ed25519', 'rsa', 'ecdsa'])('%s keys made by ssh-keygen', (type) => {
  const key = makeKey(dir, `alice-${type}`, type);
  const signers = writeAllowedSigners(path.join(dir, `signers-${type}`), [key]);
  const allowed = parseAllowedSigners(`${key.name} ${key.publicLine}\n`);

  it('verifies a signature ssh-keygen made, with the fingerprint ssh-keygen prints', () => {
    const verdict = verifySignedStatement(MESSAGE, sshKeygenSign(dir, key, MESSAGE), allowed, key.name, AT);
    expect(verdict).toMatchObject({ ok: true, proof: { fingerprint: key.fingerprint } });
  });

  it('signs so that ssh-keygen -Y verify accepts, and a changed message is refused by both', async () => {
    const signature = await signMessage(await keyFileSigner(key.file), Buffer.from(MESSAGE));
    expect(sshKeygenVerifies(dir, signers, key.name, MESSAGE, signature)).toBe(true);
    expect(sshKeygenVerifies(dir, signers, key.name, `${MESSAGE}x`, signature)).toBe(false);
    expect(refusalOf(verifySignedStatement(`${MESSAGE}x`, signature, allowed, key.name, AT))).toContain(
      'does not match the statement',
    );
  });

  it('refuses the right signature for another principal', () => {
    const verdict = verifySignedStatement(MESSAGE, sshKeygenSign(dir, key, MESSAGE), allowed, 'bob', AT);
    expect(refusalOf(verdict)).toContain('not allowed to sign as bob');
  });
});

it('refuses a key that allowed_signers does not list', () => {
  const alice = makeKey(dir, 'alice');
  const mallory = makeKey(dir, 'mallory');
  const allowed = parseAllowedSigners(`alice ${alice.publicLine}\n`);
  const verdict = verifySignedStatement(MESSAGE, sshKeygenSign(dir, mallory, MESSAGE), allowed, 'alice', AT);
  expect(refusalOf(verdict)).toContain('not in allowed_signers');
});

it('refuses a signature made for another namespace (a git commit signature, say)', () => {
  const alice = makeKey(dir, 'alice-git');
  const file = path.join(dir, 'commit');
  writeFileSync(file, MESSAGE);
  execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', 'git', '-f', alice.file, file]);
  const signature = readFileSync(`${file}.sig`, 'utf8');
  const verdict = verifySignedStatement(
    MESSAGE,
    signature,
    parseAllowedSigners(`alice-git ${alice.publicLine}`),
    'alice-git',
    AT,
  );
  expect(refusalOf(verdict)).toContain('namespace "git"');
});

describe('allowed_signers options', () => {
  const key = parsePublicKeyLine(makeKey(dir, 'carol').publicLine);
  const line = (prefix: string) =>
    parseAllowedSigners(`${prefix} ${key.type} ${key.blob.toString('base64')}`);

  it.each([
    ['a listed principal', 'carol', 'carol', null],
    ['a wildcard principal', '*@example.com', 'carol@example.com', null],
    ['a negated principal', '*,!mallory', 'mallory', 'not allowed to sign as mallory'],
    [
      'a key limited to other namespaces',
      'carol namespaces="git,file"',
      'carol',
      'not allowed to sign as carol',
    ],
    ['a key limited to safedeploy', 'carol namespaces="git,safedeploy"', 'carol', null],
    ['a key not yet valid', 'carol valid-after="20270101"', 'carol', 'not valid at'],
    ['a key expired', 'carol valid-before="20260101"', 'carol', 'not valid at'],
  ])('%s', (_case, prefix, principal, problem) => {
    const got = signerProblem(line(prefix), key, principal, 'safedeploy', AT);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseAllowedSigners('# comment\n\nalice ssh-ed25519 !!!')).toThrow(/allowed_signers:3/);
  });
});

it('signs through a real ssh-agent over SSH_AUTH_SOCK', async () => {
  const key = makeKey(dir, 'dave', 'rsa');
  const socket = path.join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
    execFileSync('ssh-add', ['-q', key.file], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
      stdio: 'pipe',
    });
    const [identity] = await agentIdentities(socket);
    expect(fingerprint(identity!.blob)).toBe(key.fingerprint);
    const signature = await signMessage(agentSigner(socket, identity!.blob), Buffer.from(MESSAGE));
    expect(parseArmored(signature).signatureAlgorithm).toBe('rsa-sha2-512');
    const signers = writeAllowedSigners(path.join(dir, 'signers-agent'), [key]);
    expect(sshKeygenVerifies(dir, signers, key.name, MESSAGE, signature)).toBe(true);
  } finally {
    agent.kill();
  }
});
