// `audit verify` sees what a hash chain alone cannot: a cut tail, an emptied or deleted stream and a
// chain rewritten from its first line. The file store's head record (audit/<stream>.head.json)
// catches the first three while it is intact; an exported checkpoint catches a rewrite even when the
// head was rewritten too, in files and in PostgreSQL (where the head row is the store's anchor).
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appendAudit, GENESIS_HASH, hashLine, streamPath } from '../../src/evidence/audit';
import { headPath } from '../../src/evidence/audit-head';
import { postgresStore, type PostgresStore } from '../../src/store/postgres/store';
import { tempDir } from '../harness/git';
import { fileDatabase } from '../harness/postgres';
import { jsonOf, runCli } from '../support/cli';

let dir: ReturnType<typeof tempDir>;
let original: string;

beforeAll(async () => {
  dir = tempDir('audit-anchor');
  original = path.join(dir.path, 'original');
  for (let i = 1; i <= 3; i++) {
    await appendAudit(original, 'approvals', [
      { eventId: `approval-${i}`, approver: 'alice', incident: 'inc-1' },
    ]);
    await appendAudit(original, 'incidents', [{ eventId: `incident-${i}`, state: 'detected' }]);
  }
});
afterAll(() => dir.cleanup());

let copyCount = 0;
function copy(): string {
  const target = path.join(dir.path, `copy-${++copyCount}`);
  cpSync(original, target, { recursive: true });
  return target;
}

const verify = (dataDir: string, ...extra: string[]) =>
  runCli(['audit', 'verify', '--data-dir', dataDir, ...extra]);
const lines = (dataDir: string) =>
  readFileSync(streamPath(dataDir, 'approvals'), 'utf8').split('\n').filter(Boolean);

/** A whole new chain, valid line by line, as someone with write access could produce. */
function rewriteChain(dataDir: string): string {
  let prevHash = GENESIS_HASH;
  const text = lines(dataDir)
    .map((raw, i) => {
      const { hash: _hash, ...line } = JSON.parse(raw) as Record<string, unknown> & { hash: string };
      const body = { ...line, approver: 'mallory', seq: i + 1, prevHash };
      prevHash = hashLine(body);
      return JSON.stringify({ ...body, hash: prevHash });
    })
    .join('\n');
  writeFileSync(streamPath(dataDir, 'approvals'), `${text}\n`);
  return prevHash;
}

it('finds the log intact and writes one head record per stream', async () => {
  const run = await verify(copy());
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain('note');
  const head = JSON.parse(readFileSync(headPath(original, 'approvals'), 'utf8')) as { seq: number };
  expect(head.seq).toBe(3);
});

it.each([
  [
    'a cut tail',
    (d: string) => writeFileSync(streamPath(d, 'approvals'), `${lines(d).slice(0, 2).join('\n')}\n`),
    /line 3: the chain ends at seq 2, but its head record audit\/approvals\.head\.json records seq 3 \(lines were removed from the end\)/,
  ],
  [
    'an emptied stream',
    (d: string) => writeFileSync(streamPath(d, 'approvals'), ''),
    /line 1: the stream is empty or deleted, but its head record .* records seq 3/,
  ],
  [
    'a deleted stream',
    (d: string) => rmSync(streamPath(d, 'approvals')),
    /line 1: the stream is empty or deleted/,
  ],
  [
    'a rewritten chain',
    (d: string) => void rewriteChain(d),
    /line 3: the line at seq 3 does not match its head record audit\/approvals\.head\.json: the chain was rewritten/,
  ],
])('reports %s (exit 1)', async (_what, tamper, message) => {
  const dataDir = copy();
  tamper(dataDir);
  const run = await verify(dataDir);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toMatch(/^safedeploy: audit\/approvals\.jsonl /);
});

it('verifies a store written before head records, with a note instead of a failure', async () => {
  const dataDir = copy();
  for (const stream of ['approvals', 'incidents']) rmSync(headPath(dataDir, stream));
  const run = await verify(dataDir, '--json');
  expect(run.code).toBe(0);
  const result = jsonOf<{ intact: boolean; streams: { stream: string; note?: string }[] }>(run);
  expect(result.intact).toBe(true);
  expect(result.streams.find((s) => s.stream === 'approvals')?.note).toMatch(/^no head record/);
  // The next append writes the head record, and from then on a cut tail is caught.
  await appendAudit(dataDir, 'approvals', [{ eventId: 'approval-4', approver: 'bob', incident: 'inc-2' }]);
  writeFileSync(streamPath(dataDir, 'approvals'), `${lines(dataDir).slice(0, 3).join('\n')}\n`);
  expect((await verify(dataDir)).stderr).toMatch(/line 4: the chain ends at seq 3, but its head record/);
});

describe('an exported checkpoint', () => {
  let checkpointFile: string;

  beforeAll(async () => {
    const run = await runCli(['audit', 'checkpoint', '--data-dir', original]);
    expect(run.code).toBe(0);
    const checkpoint = jsonOf<{ store: string; streams: Record<string, { seq: number; hash: string }> }>(run);
    expect(checkpoint.store).toBe('files');
    expect(checkpoint.streams.approvals?.seq).toBe(3);
    checkpointFile = path.join(dir.path, 'checkpoint.json');
    writeFileSync(checkpointFile, run.stdout);
  });

  it('holds for the intact log, and for the log grown since', async () => {
    const dataDir = copy();
    expect((await verify(dataDir, '--checkpoint', checkpointFile)).code).toBe(0);
    await appendAudit(dataDir, 'approvals', [{ eventId: 'approval-9', approver: 'bob', incident: 'x' }]);
    expect((await verify(dataDir, '--checkpoint', checkpointFile)).code).toBe(0);
  });

  it('catches a rewritten chain whose head record was rewritten to match', async () => {
    const dataDir = copy();
    const hash = rewriteChain(dataDir);
    writeFileSync(headPath(dataDir, 'approvals'), JSON.stringify({ stream: 'approvals', seq: 3, hash }));
    expect((await verify(dataDir)).code).toBe(0); // the local evidence agrees with itself …
    const run = await verify(dataDir, '--checkpoint', checkpointFile);
    expect(run.code).toBe(1); // … the exported checkpoint does not
    expect(run.stderr).toMatch(
      /line 3: the line at seq 3 does not match the exported checkpoint: the chain was rewritten/,
    );
  });

  it('catches a stream deleted together with its head record', async () => {
    const dataDir = copy();
    rmSync(streamPath(dataDir, 'incidents'));
    rmSync(headPath(dataDir, 'incidents'));
    const run = await verify(dataDir, '--checkpoint', checkpointFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /audit\/incidents\.jsonl line 1: the stream is empty or deleted, but the exported checkpoint records seq 3/,
    );
  });

  it.each([
    ['{"streams": {"../../etc": {"seq": 1, "hash": "x"}}}', 'is not an audit stream name'],
    ['{"streams": {"approvals": {"seq": "1"}}}', 'stream "approvals" has no seq and hash'],
    ['not json', 'cannot read --checkpoint'],
  ])('refuses a checkpoint that is not one, as usage (exit 2): %s', async (text, message) => {
    const bad = path.join(dir.path, 'bad-checkpoint.json');
    writeFileSync(bad, text);
    const run = await verify(copy(), '--checkpoint', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('in PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let store: PostgresStore;
  const env = () => ({ env: { SAFEDEPLOY_DATABASE_URL: db.url } });

  beforeAll(async () => {
    db = await fileDatabase('audit-anchor');
    store = postgresStore(db.url);
    await store.migrate();
    for (let i = 1; i <= 3; i++)
      await store.appendAudit('approvals', [{ eventId: `approval-${i}`, approver: 'alice' }]);
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('exports the head row and catches a chain rewritten together with it', async () => {
    const exported = await runCli(['audit', 'checkpoint'], env());
    expect(exported.code).toBe(0);
    const checkpoint = jsonOf<{ store: string; streams: Record<string, { seq: number; hash: string }> }>(
      exported,
    );
    expect(checkpoint.store).toBe('postgres');
    expect(checkpoint.streams.approvals).toEqual(await store.readHead('approvals'));
    const file = path.join(dir.path, 'pg-checkpoint.json');
    writeFileSync(file, exported.stdout);
    expect((await runCli(['audit', 'verify', '--checkpoint', file], env())).code).toBe(0);

    // A superuser (past the append-only triggers) replaces the whole stream and its head row with a
    // valid chain.
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query("DELETE FROM safedeploy.audit_lines WHERE stream = 'approvals'");
      await client.query("DELETE FROM safedeploy.audit_heads WHERE stream = 'approvals'");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    for (let i = 1; i <= 3; i++)
      await store.appendAudit('approvals', [{ eventId: `approval-${i}`, approver: 'mallory' }]);
    expect((await runCli(['audit', 'verify'], env())).code).toBe(0);
    const run = await runCli(['audit', 'verify', '--checkpoint', file], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /stream approvals line 3: the line at seq 3 does not match the exported checkpoint: the chain was rewritten/,
    );
  });
});
