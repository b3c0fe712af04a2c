// Signed human actions against the real dev server: keys made by ssh-keygen (ed25519 and RSA), the
// worker verifying every action against allowed_signers. A forged name, a key not listed, a tampered
// reason, a replayed request id or statement, a stale statement and a raw `temporal workflow signal`
// without a signature are refused and recorded as refused, and nothing else changes; a quorum of 2
// needs two distinct approvers; the HTTP endpoint answers each case with its status; and `audit
// verify` finds a signed decision whose signature was rewritten, even inside an intact chain.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { hashLine, GENESIS_HASH } from '../../src/evidence/chain';
import { writeHeadFile } from '../../src/evidence/audit-head';
import { changeBranch } from '../../src/gitops/branch';
import {
  approveSignal,
  incidentQuery,
  outcomeQuery,
  type ActionOutcome,
  type IncidentView,
  workflowIds,
} from '../../workflows/messages';
import { remoteBranches } from '../harness/git';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import { runCli } from '../support/cli';
import { buildWorld, startWorker, stopLoop, type ControlLoopWorld } from '../support/control-loop';
import { saveHistories } from '../support/record-histories';
import { signed, testSigning } from '../support/signing';
import { makeKey, writeAllowedSigners, type TestKey } from '../support/ssh-keys';
import { startApi, TOKEN, type RunningApi } from './api-harness';

const NAMESPACE = uniqueId('safedeploy-signed');

let world: ControlLoopWorld;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let api: RunningApi;
let keyDir: string;
/** alice's second key, RSA; and a key nobody listed. */
let aliceRsa: TestKey;
let outsider: TestKey;

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }, { name: 'payments' }, { name: 'cart' }]);
  // payments needs two distinct approvers before its change opens.
  const catalog = path.join(world.catalogDir, 'services.yaml');
  const docs = readFileSync(catalog, 'utf8').split('---\n');
  writeFileSync(
    catalog,
    docs
      .map((d) =>
        d.includes('name: payments') ? `${d}    approvals: { quorum: 2, signatures: required }\n` : d,
      )
      .join('---\n'),
  );
  keyDir = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-signed-keys-'));
  aliceRsa = makeKey(keyDir, 'alice', 'rsa');
  outsider = makeKey(keyDir, 'outsider');
  const signing = testSigning();
  const allowed = writeAllowedSigners(path.join(keyDir, 'allowed_signers'), [
    ...Object.values(signing.keys),
    aliceRsa,
  ]);
  client = await namespaceClient(NAMESPACE);
  worker = await startWorker(world, NAMESPACE, { allowedSignersFile: allowed });
  running = worker.run();
  api = await startApi(world, NAMESPACE);
  for (const service of ['checkout', 'payments', 'cart']) world.exporter.fastBurn(service);
}, 120_000);

afterAll(async () => {
  if (process.env.SAFEDEPLOY_RECORD_HISTORIES === '1') await saveHistories(client, NAMESPACE, 'signed');
  await api?.close();
  await stopLoop({ client, worker, running, world });
  rmSync(keyDir, { recursive: true, force: true });
});

const env = () => ({
  TEMPORAL_ADDRESS: testTemporalAddress(),
  TEMPORAL_NAMESPACE: NAMESPACE,
  SAFEDEPLOY_CATALOG: world.catalogDir,
  SSH_AUTH_SOCK: '',
});
const cli = (...args: string[]) => runCli(args, { env: env() });
const handle = (service: string) => client.workflow.getHandle(workflowIds.incident(service));
const view = (service: string) => handle(service).query(incidentQuery);

async function proposed(service: string): Promise<IncidentView> {
  return waitFor(
    async () => {
      const v = await view(service).catch(() => undefined);
      return v && v.proposals.length > 0 ? v : undefined;
    },
    60_000,
    `the ${service} incident and its proposal`,
  );
}

async function outcome(service: string, requestId: string): Promise<ActionOutcome> {
  return waitFor(
    async () => {
      const o = await handle(service).query(outcomeQuery, requestId);
      return o?.final ? o : undefined;
    },
    30_000,
    `the outcome of ${requestId}`,
  );
}

const approval = (v: IncidentView, by: string, reason = 'roll back') => ({
  target: {
    kind: 'proposal',
    incidentId: v.incidentId,
    service: v.service,
    proposal: 'rollback-rollout',
  } as const,
  request: { requestId: randomUUID(), by, reason, proposal: 'rollback-rollout' },
});

/** Sends a (signed or not) approval payload and returns the outcome the workflow reached. */
async function sendApproval(
  v: IncidentView,
  payload: Record<string, unknown> & { requestId: string },
): Promise<ActionOutcome> {
  await handle(v.service).signal(approveSignal, payload as never);
  return outcome(v.service, payload.requestId);
}

function auditLines(stream: string): Record<string, unknown>[] {
  return readFileSync(path.join(world.dataDir, 'audit', `${stream}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Nothing moved: the proposal is pending and no branch was pushed for the service. */
async function expectUnchanged(service: string): Promise<void> {
  const v = await view(service);
  expect(v.proposals[0]!.state).toBe('pending');
  expect(remoteBranches(world.repoDir).filter((b) => b.includes(service))).toEqual([]);
}

describe('checkout: one signed approval (quorum 1)', () => {
  let v: IncidentView;
  beforeAll(async () => {
    v = await proposed('checkout');
  }, 90_000);

  it('refuses a raw `temporal workflow signal` without a signature, and records the refusal', async () => {
    const requestId = randomUUID();
    execFileSync(process.env.TEMPORAL_CLI ?? 'temporal', [
      'workflow',
      'signal',
      '--workflow-id',
      workflowIds.incident('checkout'),
      '--name',
      'approve',
      '--input',
      JSON.stringify({ requestId, by: 'alice', reason: 'ship it', proposal: 'rollback-rollout' }),
      '--address',
      testTemporalAddress(),
      '--namespace',
      NAMESPACE,
    ]);
    const o = await outcome('checkout', requestId);
    expect(o).toMatchObject({ accepted: false, refusal: 'signature' });
    expect(o.message).toMatch(/^refused: unsigned: checkout requires approve to be signed/);
    await expectUnchanged('checkout');
    const after = await view('checkout');
    expect(after.timeline.some((e) => e.kind === 'refusal' && e.message.includes('unsigned'))).toBe(true);
  });

  it('refuses a forged name: mallory signs as alice', async () => {
    const { target, request } = approval(v, 'alice');
    const o = await sendApproval(v, await signed('approve', target, request, { signer: 'mallory' }));
    expect(o.message).toMatch(/bad signature: the signing key is not allowed to sign as alice \(key SHA256:/);
    await expectUnchanged('checkout');
  });

  it('refuses a key that allowed_signers does not list', async () => {
    const { target, request } = approval(v, 'alice');
    const payload = await signed('approve', target, request, { keyFile: outsider.file });
    const o = await sendApproval(v, payload);
    expect(o.message).toMatch(/the signing key is not in allowed_signers/);
    await expectUnchanged('checkout');
  });

  it('refuses a tampered reason, a statement too old, and a signature moved to another request id', async () => {
    const { target, request } = approval(v, 'alice', 'roll back 1.9.0');
    const good = await signed('approve', target, request);
    const tampered = await sendApproval(v, { ...good, reason: 'roll back everything' });
    expect(tampered).toMatchObject({ accepted: false, refusal: 'signature' });
    expect(tampered.message).toMatch(/bad signature/);
    const moved = await sendApproval(v, { ...good, requestId: randomUUID() });
    expect(moved.message).toMatch(/bad signature/);
    const old = approval(v, 'alice');
    const stale = await signed('approve', old.target, old.request, {
      signedAt: new Date(Date.now() - 20 * 60_000).toISOString(),
    });
    expect((await sendApproval(v, stale)).message).toMatch(
      /more than 10 minutes from .* \(replayed or clock skew\)/,
    );
    await expectUnchanged('checkout');
    const refused = auditLines('approvals').filter((l) => l.type === 'refused' && l.action === 'approve');
    expect(refused.length).toBeGreaterThanOrEqual(5);
  });

  it('accepts alice signing with her RSA key through the CLI, which prints the fingerprint', async () => {
    const run = await cli(
      'proposal',
      'approve',
      v.incidentId,
      '--by',
      'alice',
      '--reason',
      'roll back 1.9.0',
      '--key',
      aliceRsa.file,
    );
    expect(run.stderr).toContain(`signed as alice with ${aliceRsa.fingerprint}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('approved; branch');
    expect(remoteBranches(world.repoDir)).toContain(changeBranch(v.incidentId, 'rollback-rollout'));
    const line = auditLines('approvals').find((l) => l.type === 'approved' && l.by === 'alice');
    expect(line).toMatchObject({
      signed: true,
      signature: { fingerprint: aliceRsa.fingerprint, keyType: 'ssh-rsa', statement: { by: 'alice' } },
    });
    const decision = (await view('checkout')).proposals[0]!.decisions.find((d) => d.accepted);
    expect(decision).toMatchObject({ by: 'alice', fingerprint: aliceRsa.fingerprint });
  });

  it('ignores the accepted request sent again (its request id has its outcome)', async () => {
    const before = (await view('checkout')).timeline.length;
    const decision = (await view('checkout')).proposals[0]!.decisions.find((d) => d.accepted)!;
    await handle('checkout').signal(approveSignal, {
      requestId: decision.requestId,
      by: 'alice',
      reason: 'again',
      proposal: 'rollback-rollout',
    });
    const o = await outcome('checkout', decision.requestId);
    expect(o.accepted).toBe(true);
    expect((await view('checkout')).timeline.length).toBe(before);
  });

  it('tells the CLI user without a key how to sign', async () => {
    const run = await cli('incident', 'mitigate', v.incidentId, '--by', 'alice', '--reason', 'x');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused: unsigned: .*pass --key FILE/);
  });
});

describe('payments: a quorum of 2', () => {
  let v: IncidentView;
  beforeAll(async () => {
    v = await proposed('payments');
  }, 90_000);

  it('counts alice once, then opens the change at bob', async () => {
    const first = await cli(
      'proposal',
      'approve',
      v.incidentId,
      '--by',
      'alice',
      '--reason',
      'roll back',
      '--key',
      testSigning().keys.alice!.file,
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/approval 1 of 2 for .* recorded; waiting for another approver/);
    const list = await cli('proposal', 'list', '--service', 'payments');
    expect(list.stdout).toContain('pending (1 of 2 approvals)');
    const again = await cli(
      'proposal',
      'approve',
      v.incidentId,
      '--by',
      'alice',
      '--reason',
      'really',
      '--key',
      aliceRsa.file,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/alice already approved .*a quorum of 2 needs 2 distinct approvers/);
    await expectUnchanged('payments');
    const second = await cli(
      'proposal',
      'approve',
      v.incidentId,
      '--by',
      'bob',
      '--reason',
      'agreed',
      '--key',
      testSigning().keys.bob!.file,
      '--json',
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      accepted: true,
      fingerprint: testSigning().keys.bob!.fingerprint,
    });
    expect(remoteBranches(world.repoDir)).toContain(changeBranch(v.incidentId, 'rollback-rollout'));
    expect((await view('payments')).proposals[0]).toMatchObject({ approvals: { given: 2, needed: 2 } });
  }, 150_000);
});

describe('POST /v1/proposals/{incidentId}/{proposal}/approve', () => {
  let v: IncidentView;
  beforeAll(async () => {
    v = await proposed('cart');
  }, 90_000);

  /** The HTTP body carries the proposal in the path, not the body. */
  const post = async (incidentId: string, proposal: string, payload: object, token = TOKEN) => {
    const { proposal: _inPath, ...body } = payload as Record<string, unknown>;
    const response = await fetch(`${api.url}/v1/proposals/${incidentId}/${proposal}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('answers 400, 404 and 403 for malformed, unknown, unsigned, forged, unlisted and tampered requests, and changes nothing', async () => {
    const { request } = approval(v, 'alice');
    const body = { requestId: request.requestId, by: 'alice', reason: 'roll back' };
    expect((await post(v.incidentId, 'rollback-rollout', { ...body, extra: 1 })).status).toBe(400);
    expect((await post(v.incidentId, 'rollback-rollout', { ...body, reason: ' ' })).status).toBe(400);
    expect((await post('cart-20200101t000000z', 'rollback-rollout', body)).status).toBe(404);
    expect((await post(v.incidentId, 'promote-canary', body)).status).toBe(404);
    const unsigned = await post(v.incidentId, 'rollback-rollout', body);
    expect(unsigned).toMatchObject({ status: 403, json: { accepted: false, refusal: 'signature' } });
    expect(unsigned.json.error).toMatch(/unsigned/);
    const forged = approval(v, 'alice');
    const forgedBody = await signed('approve', forged.target, forged.request, { signer: 'mallory' });
    expect((await post(v.incidentId, 'rollback-rollout', forgedBody)).json.error).toMatch(
      /not allowed to sign as alice/,
    );
    const unlisted = approval(v, 'alice');
    expect(
      (
        await post(
          v.incidentId,
          'rollback-rollout',
          await signed('approve', unlisted.target, unlisted.request, { keyFile: outsider.file }),
        )
      ).status,
    ).toBe(403);
    const honest = approval(v, 'alice');
    const good = await signed('approve', honest.target, honest.request);
    expect((await post(v.incidentId, 'rollback-rollout', { ...good, reason: 'tampered' })).status).toBe(403);
    expect(
      (await post(v.incidentId, 'rollback-rollout', { ...body, by: 'mallory', requestId: randomUUID() }))
        .status,
    ).toBe(403);
    await expectUnchanged('cart');
  });

  it('accepts a signed approval, then answers a replay of its statement and a second approval with 4xx', async () => {
    const { target, request } = approval(v, 'bob');
    const body = await signed('approve', target, request);
    const accepted = await post(v.incidentId, 'rollback-rollout', body);
    expect([200, 202]).toContain(accepted.status);
    expect(accepted.json).toMatchObject({ accepted: true });
    await waitFor(
      async () => (await view('cart')).proposals[0]!.state === 'opened',
      60_000,
      'the change to open',
    );
    // The same statement under a new request id does not verify; a fresh one finds nothing pending.
    expect((await post(v.incidentId, 'rollback-rollout', { ...body, requestId: randomUUID() })).status).toBe(
      403,
    );
    const late = approval(v, 'alice');
    const conflict = await post(
      v.incidentId,
      'rollback-rollout',
      await signed('approve', late.target, late.request),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatch(/is opened, not pending/);
  });
});

describe('audit verify', () => {
  it('reports a signed decision whose signature was rewritten, even with the chain recomputed', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-signed-audit-'));
    try {
      cpSync(path.join(world.dataDir, 'audit'), path.join(copy, 'audit'), { recursive: true });
      const intact = await runCli(['audit', 'verify', '--data-dir', copy]);
      expect(intact.code).toBe(0);
      // Rewrite bob's approval as if carol had signed it, and rebuild the chain over it.
      const file = path.join(copy, 'audit', 'approvals.jsonl');
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const at = lines.findIndex((l) => l.type === 'approved' && l.signed === true);
      const line = lines[at]! as { reason: string; signature: { statement: { reason: string } } };
      line.reason = 'rewritten';
      line.signature.statement.reason = 'rewritten';
      let prevHash = GENESIS_HASH;
      for (const l of lines) {
        const { hash: _old, ...rest } = l;
        const rechained = { ...rest, prevHash };
        l.prevHash = prevHash;
        l.hash = hashLine(rechained);
        prevHash = l.hash as string;
      }
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      await writeHeadFile(copy, 'approvals', { seq: lines.at(-1)!.seq as number, hash: prevHash });
      const run = await runCli(['audit', 'verify', '--data-dir', copy]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`line ${at + 1}: signed decision .*: the signature does not verify`),
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
