// The statement a person signs is rebuilt by the workflow from what arrived: every field is bound,
// demo keys written with node:crypto are keys OpenSSH itself accepts, and the quorum/authorship rules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { actionStatement, actionSubject } from '../../../src/incident/action-statement';
import type { ActionProof, Proposal } from '../../../src/incident/proposals';
import { parseAllowedSigners } from '../../../src/signing/allowed-signers';
import { generateEd25519 } from '../../../src/signing/generate';
import { parsePrivateKey } from '../../../src/signing/private-key';
import { signMessage } from '../../../src/signing/sshsig';
import { statementText } from '../../../src/signing/statement';
import { verifySignedStatement } from '../../../src/signing/verify';
import { DEFAULT_APPROVALS } from '../../../src/catalog/model';
import { approvalRefusal, isAuthor } from '../../../src/incident/approvals';
import { sshKeygenVerifies } from '../../support/ssh-keys';

const dir = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-statement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = '2026-12-01T12:00:00.000Z';
const request = { by: 'alice', reason: 'roll back 1.9.0', requestId: 'r-1' };
const target = {
  kind: 'proposal',
  incidentId: 'checkout-20261201t120000z',
  service: 'checkout',
  proposal: 'rollback-rollout',
} as const;

describe('the signed statement', () => {
  it('binds a proposal action to its incident and the proposal as sent', () => {
    expect(actionSubject(target)).toBe('checkout-20261201t120000z proposal rollback-rollout');
    expect(actionSubject({ kind: 'freeze', service: 'payments' })).toBe('freeze-payments');
    expect(statementText(actionStatement('approve', target, request, AT))).toBe(
      [
        'safedeploy-action/v1',
        'action: approve',
        'subject: "checkout-20261201t120000z proposal rollback-rollout"',
        'service: "checkout"',
        'by: "alice"',
        'reason: "roll back 1.9.0"',
        'request-id: "r-1"',
        `at: ${AT}`,
        '',
      ].join('\n'),
    );
  });

  it('signs the postmortem link and action items', () => {
    const s = actionStatement(
      'postmortem',
      { kind: 'incident', incidentId: 'i', service: 'checkout' },
      request,
      AT,
      { url: 'https://pm/1', actionItems: ['a'] },
    );
    expect(s.detail).toBe('{"url":"https://pm/1","actionItems":["a"]}');
  });
});

describe('demo keys made with node:crypto', () => {
  it('sign statements that ssh-keygen -Y verify and SafeDeploy accept for the right name only', async () => {
    const key = generateEd25519('alice@demo');
    const file = path.join(dir, 'alice');
    writeFileSync(file, key.privateKey, { mode: 0o600 });
    // OpenSSH reads the private key file and derives the same public key.
    expect(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()).toBe(key.publicLine);
    const allowed = path.join(dir, 'allowed_signers');
    writeFileSync(allowed, `alice ${key.publicLine}\n`);
    const text = statementText(actionStatement('approve', target, request, AT));
    const signature = await signMessage(parsePrivateKey(key.privateKey), Buffer.from(text));
    expect(sshKeygenVerifies(dir, allowed, 'alice', text, signature)).toBe(true);
    const signers = parseAllowedSigners(`alice ${key.publicLine}\n`);
    expect(verifySignedStatement(text, signature, signers, 'alice', AT).ok).toBe(true);
    expect(verifySignedStatement(text.replace('roll back', 'ship'), signature, signers, 'alice', AT).ok).toBe(
      false,
    );
    expect(verifySignedStatement(text, signature, signers, 'bob', AT).ok).toBe(false);
  });
});

describe('approval rules', () => {
  const proposal = (decisions: Proposal['decisions'], author?: string): Proposal => ({
    id: 'i/rollback-rollout',
    type: 'rollback-rollout',
    incidentId: 'i',
    service: 'checkout',
    state: 'pending',
    createdAt: AT,
    expiresAt: AT,
    rationale: '',
    decisions,
    ...(author
      ? { target: { sha: 'a', date: AT, suspect: { sha: 'b', date: AT, author, subject: 'x' } } }
      : {}),
  });
  const approved = (by: string, fingerprint: string) => ({
    requestId: `r-${by}`,
    action: 'approve' as const,
    by,
    reason: 'ok',
    at: AT,
    accepted: true,
    fingerprint,
  });
  const proven = (fingerprint: string, principals = ['bob']): ActionProof => ({
    signed: true,
    fingerprint,
    keyType: 'ssh-ed25519',
    principals,
  });
  const quorum2 = { ...DEFAULT_APPROVALS, quorum: 2 };

  it('counts distinct people and distinct keys', () => {
    const p = proposal([approved('alice', 'SHA256:a')]);
    expect(approvalRefusal(p, { ...request, by: 'alice' }, proven('SHA256:c'), quorum2)).toBe(
      'alice already approved i/rollback-rollout; a quorum of 2 needs 2 distinct approvers',
    );
    expect(approvalRefusal(p, { ...request, by: 'bob' }, proven('SHA256:a'), quorum2)).toBe(
      'key SHA256:a already approved i/rollback-rollout as alice; a quorum of 2 needs 2 distinct approvers',
    );
    expect(approvalRefusal(p, { ...request, by: 'bob' }, proven('SHA256:b'), quorum2)).toBeNull();
  });

  it("refuses the suspect release's author only when the policy says so", () => {
    const p = proposal([], 'Bob Builder <bob@example.com>');
    const bob = { ...request, by: 'bob' };
    expect(approvalRefusal(p, bob, proven('SHA256:b'), DEFAULT_APPROVALS)).toBeNull();
    expect(
      approvalRefusal(p, bob, proven('SHA256:b'), { ...DEFAULT_APPROVALS, authorMayApproveRollback: false }),
    ).toMatch(/bob authored the release this rollback removes/);
  });

  it('matches a git author by name, email or the email user', () => {
    expect(isAuthor('Bob Builder <bob@example.com>', 'bob')).toBe(true);
    expect(isAuthor('Bob Builder <bob@example.com>', 'bob@example.com')).toBe(true);
    expect(isAuthor('alice <alice@example.com>', 'Alice')).toBe(true);
    expect(isAuthor('Bob Builder <bob@example.com>', 'alice')).toBe(false);
  });
});
