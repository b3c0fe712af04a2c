// `safedeploy db import` moves a file store into PostgreSQL: the same lines and hashes, verified after
// the move; a second run copies nothing; a broken file chain or a database stream with records of
// its own is refused with nothing of that stream imported.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { appendAudit, readStreamLines } from '../../../src/evidence/audit';
import { writeEvidence } from '../../../src/evidence/store';
import { postgresStore, type PostgresStore } from '../../../src/store/postgres/store';
import { tempDir } from '../../harness/git';
import { fileDatabase } from '../../harness/postgres';
import { jsonOf, runCli } from '../../support/cli';

interface ImportJson {
  intact: boolean;
  streams: { stream: string; lines: number; imported: number }[];
  evidence: { files: number; imported: number; alreadyPresent: number; differing: string[] };
}

let db: { url: string; drop: () => Promise<void> };
let store: PostgresStore;
let files: ReturnType<typeof tempDir>;

beforeAll(async () => {
  db = await fileDatabase('import');
  store = postgresStore(db.url);
  files = tempDir('import');
  for (let i = 0; i < 30; i++)
    await appendAudit(files.path, 'evaluations', [
      { eventId: `ev-${i}`, at: new Date(i * 1000).toISOString() },
    ]);
  await appendAudit(files.path, 'incidents', [
    { eventId: 'opened', state: 'open' },
    { eventId: 'acked', state: 'investigating' },
  ]);
  await appendAudit(files.path, 'gate', [{ eventId: 'gate-1', answer: 'allow' }]); // a stream added later
  await writeEvidence(files.path, 'checkout-1', 'assessment.json', { verdict: 'burning' });
  await writeEvidence(files.path, 'checkout-1', 'proposal.json', { type: 'rollback-rollout' });
});

afterAll(async () => {
  await store.close();
  await db.drop();
  files.cleanup();
});

const importCli = (dataDir: string, ...extra: string[]) =>
  runCli(['db', 'import', '--data-dir', dataDir, '--json', ...extra], {
    env: { SAFEDEPLOY_DATABASE_URL: db.url },
  });

describe('db import', () => {
  it('copies every stream line for line and the evidence, then verifies the chain in the database', async () => {
    const run = await importCli(files.path);
    expect(run.code).toBe(0);
    const report = jsonOf<ImportJson>(run);
    expect(report.intact).toBe(true);
    expect(report.streams).toEqual([
      { stream: 'evaluations', lines: 30, imported: 30 },
      { stream: 'gate', lines: 1, imported: 1 },
      { stream: 'incidents', lines: 2, imported: 2 },
    ]);
    expect(report.evidence).toEqual({ files: 2, imported: 2, alreadyPresent: 0, differing: [] });
    expect(run.stderr).toContain('safedeploy db import: audit evaluations: 30 lines, 30 imported');
    for (const stream of ['evaluations', 'gate', 'incidents'])
      expect(await store.readLines(stream)).toEqual(await readStreamLines(files.path, stream));
    const verify = await runCli(['audit', 'verify', '--database-url', db.url]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/stream gate\s+1 line\s+OK/);
  }, 30_000);

  it('copies only what is new when run again, and appends continue the imported chain', async () => {
    await appendAudit(files.path, 'incidents', [{ eventId: 'resolved', state: 'resolved' }]);
    const report = jsonOf<ImportJson>(await importCli(files.path));
    expect(report.streams.map((s) => s.imported)).toEqual([0, 0, 1]);
    expect(report.evidence).toMatchObject({ imported: 0, alreadyPresent: 2 });
    await store.appendAudit('incidents', [{ eventId: 'postmortem', state: 'closed' }]);
    expect(await store.verifyStream('incidents')).toEqual({ stream: 'incidents', lines: 4 });
  }, 30_000);

  it('refuses a stream whose database copy has records of its own', async () => {
    const other = tempDir('import-other');
    try {
      await appendAudit(other.path, 'incidents', [{ eventId: 'elsewhere' }]);
      const run = await importCli(other.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /audit stream "incidents" in the database \(seq 4\) is not a copy of audit\/incidents.jsonl/,
      );
      expect(await store.readHead('incidents')).toMatchObject({ seq: 4 });
    } finally {
      other.cleanup();
    }
  }, 30_000);

  it('refuses a file chain that is already broken, importing nothing of it', async () => {
    const broken = tempDir('import-broken');
    try {
      await appendAudit(broken.path, 'approvals', [{ eventId: 'a1' }, { eventId: 'a2' }]);
      const file = path.join(broken.path, 'audit', 'approvals.jsonl');
      appendFileSync(file, '{"eventId":"forged","seq":9}\n');
      const run = await importCli(broken.path);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('audit/approvals.jsonl line 3 is broken');
      expect(await store.readHead('approvals')).toBeUndefined();
    } finally {
      broken.cleanup();
    }
  }, 30_000);

  it('says what is missing: no database, no audit log', async () => {
    const noDb = await runCli(['db', 'import', '--data-dir', files.path], {
      env: { SAFEDEPLOY_DATABASE_URL: '' },
    });
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('no database: pass --database-url');
    const empty = tempDir('import-empty');
    try {
      const run = await importCli(empty.path);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no audit log in');
    } finally {
      empty.cleanup();
    }
  }, 30_000);
});
