// The PostgreSQL store on the machine's real server: appends from several processes serialised per
// stream with each event once, `audit verify` running alongside, a writer SIGKILLed in the middle of
// an append, evidence idempotent by (incident, name), tampering caught by the chain and its head row.
import { Pool } from 'pg';
import { AuditBuffer } from '../../../src/evidence/audit-buffer';
import { chainEntries, verifyChain } from '../../../src/evidence/chain';
import { migrate } from '../../../src/store/postgres/migrations';
import { postgresStore, type PostgresStore } from '../../../src/store/postgres/store';
import { fileDatabase } from '../../harness/postgres';
import { waitFor } from '../../harness/wait';
import { jsonOf, runCli } from '../../support/cli';
import { finished, overlappingPlans, startWriter } from '../../support/store-writers';

let db: { url: string; drop: () => Promise<void> };
let store: PostgresStore;

beforeAll(async () => {
  db = await fileDatabase('store');
  store = postgresStore(db.url);
  await store.migrate();
});

afterAll(async () => {
  await store.close();
  await db.drop();
});

const sql = (text: string, values: unknown[] = []) => store.pool.query(text, values);
/** Tampering as a superuser would: with triggers and foreign keys off for the session. */
async function tamper(text: string, values: unknown[] = []): Promise<void> {
  const client = await store.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(text, values);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function seedStream(stream: string, count: number): Promise<void> {
  await store.appendAudit(
    stream,
    Array.from({ length: count }, (_, i) => ({ eventId: `${stream}-${i}`, n: i })),
  );
}

describe('schema migrations', () => {
  it('apply once when several workers start together, and again is a no-op', async () => {
    const fresh = await fileDatabase('migrate');
    const pools = [1, 2, 3].map(() => new Pool({ connectionString: fresh.url }));
    try {
      const reports = await Promise.all(pools.map((p) => migrate(p)));
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
      expect(reports.every((r) => r.version === 1)).toBe(true);
      expect((await migrate(pools[0]!)).applied).toEqual([]);
      const { rows } = await pools[0]!.query('SELECT version FROM safedeploy.schema_migrations');
      expect(rows).toEqual([{ version: 1 }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await fresh.drop();
    }
  });
});

describe('appends from three writer processes at once', () => {
  it('record every event exactly once in one intact chain, while audit verify runs alongside', async () => {
    const writers = overlappingPlans(db.url, 'incidents', 120, 3).map(startWriter);
    const done = Promise.all(writers.map(finished));
    let verifications = 0;
    let running = true;
    void done.finally(() => (running = false));
    while (running) {
      const result = await store.verifyStream('incidents');
      expect(result.broken).toBeUndefined();
      verifications++;
    }
    await done;

    const lines = await store.readLines('incidents');
    expect(lines).toHaveLength(120);
    expect(new Set(lines.map((l) => l.eventId)).size).toBe(120);
    expect(new Set(lines.map((l) => l.pid)).size).toBeGreaterThan(1); // really concurrent writers
    expect(await store.verifyStream('incidents')).toEqual({ stream: 'incidents', lines: 120 });
    expect(await store.readHead('incidents')).toMatchObject({ seq: 120, hash: lines[119]!.hash });
    expect(verifications).toBeGreaterThan(1);
  }, 60_000);

  it('refuses a second line for an event id at the database level too', async () => {
    await seedStream('dedupe', 1);
    const [line] = await store.readLines('dedupe');
    await expect(
      sql(
        `INSERT INTO safedeploy.audit_lines (stream, seq, event_id, prev_hash, hash, line) VALUES ('dedupe', 2, $1, $2, 'x', '{}')`,
        [line!.eventId, line!.hash],
      ),
    ).rejects.toThrow(/audit_lines_event_once/);
  });
});

describe('which events a stream holds', () => {
  it('is answered for the ids asked, without reading the stream', async () => {
    await seedStream('asked', 3);
    expect(await store.recordedEventIds('asked', ['asked-0', 'asked-2', 'asked-9'])).toEqual(
      new Set(['asked-0', 'asked-2']),
    );
    expect(await store.recordedEventIds('never-written', ['x'])).toEqual(new Set());
    expect(await store.recordedEventIds('asked', [])).toEqual(new Set());
  });
});

describe('a writer SIGKILLed in the middle of an append', () => {
  it('leaves whole appends only, no lock behind, and the next writer continues the chain', async () => {
    const batch = 40;
    const writer = startWriter({
      target: db.url,
      stream: 'killed',
      eventIds: Array.from({ length: batch }, (_, i) => `k${i}`),
      batch,
      forever: true,
      padding: 4_000,
    });
    const exited = new Promise((resolve) => writer.on('close', resolve));
    await waitFor(
      async () => ((await store.readHead('killed'))?.seq ?? 0) >= 3 * batch,
      30_000,
      'three appends',
    );
    writer.kill('SIGKILL');
    await exited;

    // The killed writer's last COMMIT may still be completing on the server: append first (it waits for the
    // stream head's row lock), then read the head, so the count includes whatever that COMMIT wrote.
    await store.appendAudit('killed', [{ eventId: 'after-the-kill' }]);
    const head = await store.readHead('killed');
    expect((head!.seq - 1) % batch).toBe(0); // an append is one transaction: all of its lines or none
    const result = await store.verifyStream('killed');
    expect(result).toEqual({ stream: 'killed', lines: head!.seq });
  }, 60_000);
});

describe('the gate stream (API and gate command)', () => {
  it('is buffered into the database, its store closed with the buffer', async () => {
    const sink = postgresStore(db.url);
    const buffer = new AuditBuffer({ dataDir: '/nonexistent', stream: 'gate', sink, flushDelayMs: 60_000 });
    for (let i = 0; i < 12; i++) buffer.add({ eventId: `gate-${i}`, verdict: i % 2 ? 'allow' : 'hold' });
    await buffer.close();
    expect(buffer.stats()).toMatchObject({ written: 12, pending: 0 });
    expect(sink.pool.totalCount).toBe(0); // closed
    expect(await store.verifyStream('gate')).toEqual({ stream: 'gate', lines: 12 });
  });
});

describe('evidence', () => {
  it('is written once per (incident, name), replaced by new content, with secrets redacted', async () => {
    const content = { verdict: 'burning', token: 'hunter2-secret' };
    expect(await store.writeEvidence('inc-1', 'assessment.json', content, ['hunter2-secret'])).toBe(true);
    expect(await store.writeEvidence('inc-1', 'assessment.json', content, ['hunter2-secret'])).toBe(false);
    expect(await store.writeEvidence('inc-1', 'assessment.json', { verdict: 'ok' })).toBe(true);
    await expect(store.writeEvidence('inc-1', '../escape.json', {})).rejects.toThrow(
      /invalid evidence file name/,
    );
    const { rows } = await sql('SELECT content FROM safedeploy.evidence WHERE incident_id = $1', ['inc-1']);
    expect(rows).toHaveLength(1);
    expect(JSON.parse((rows[0] as { content: string }).content)).toEqual({ verdict: 'ok' });
    await store.writeEvidence('inc-2', 'a.json', content, ['hunter2-secret']);
    const stored = await sql("SELECT content FROM safedeploy.evidence WHERE incident_id = 'inc-2'");
    expect(JSON.stringify(stored.rows)).not.toContain('hunter2');
  });
});

describe('tampering with a stream in the database', () => {
  const cases: [string, (stream: string) => Promise<void>, RegExp][] = [
    [
      'an edited line is named',
      (s) =>
        tamper(`UPDATE safedeploy.audit_lines SET line = replace(line, '"n":2', '"n":7') WHERE stream = $1`, [
          s,
        ]),
      /line 3: hash does not match/,
    ],
    [
      'a cut tail is caught by the head row',
      (s) => tamper('DELETE FROM safedeploy.audit_lines WHERE stream = $1 AND seq > 3', [s]),
      /line 4: the chain ends at seq 3 but its head records seq 5/,
    ],
    [
      'an emptied stream is caught by the head row',
      (s) => tamper('DELETE FROM safedeploy.audit_lines WHERE stream = $1', [s]),
      /line 1: the chain ends at seq 0 but its head records seq 5/,
    ],
    [
      'a deleted head row is caught',
      (s) => tamper('DELETE FROM safedeploy.audit_heads WHERE stream = $1', [s]),
      /line 1: the stream has lines but no head row/,
    ],
    [
      'a chain rewritten from line 2 on no longer meets its head',
      rewriteFromLine2,
      /line 6: the chain's last line \(seq 5\) does not match its head/,
    ],
  ];

  it.each(cases)(
    '%s',
    async (_name, change, expected) => {
      const stream = `tampered-${cases.findIndex((c) => c[1] === change)}`;
      await seedStream(stream, 5);
      expect((await store.verifyStream(stream)).broken).toBeUndefined();
      await change(stream);
      const run = await runCli(['audit', 'verify', '--database-url', db.url, '--json']);
      expect(run.code).toBe(1);
      const report = jsonOf<{
        intact: boolean;
        streams: { stream: string; broken?: { line: number; reason: string } }[];
      }>(run);
      expect(report.intact).toBe(false);
      const broken = report.streams.find((s) => s.stream === stream)?.broken;
      expect(`line ${broken?.line}: ${broken?.reason}`).toMatch(expected);
    },
    30_000,
  );

  it('is refused by the database while the append-only triggers are in place', async () => {
    await seedStream('guarded', 2);
    await expect(sql("DELETE FROM safedeploy.audit_lines WHERE stream = 'guarded'")).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql("UPDATE safedeploy.audit_lines SET line = '{}' WHERE stream = 'guarded'"),
    ).rejects.toThrow(/append-only/);
    await expect(sql("DELETE FROM safedeploy.audit_heads WHERE stream = 'guarded'")).rejects.toThrow(
      /append-only/,
    );
  });
});

/** Replaces lines 2–5 by a consistent chain of different records (a rewrite of history), head untouched. */
async function rewriteFromLine2(stream: string): Promise<void> {
  const lines = await store.readLines(stream);
  const forged = [lines[0]!];
  forged.push(
    ...chainEntries(
      forged[0]!,
      lines.slice(1).map((l) => ({ eventId: l.eventId, n: 99 })),
      new Set(),
    ).map((c) => c.line),
  );
  expect(
    verifyChain(
      stream,
      forged.map((l) => JSON.stringify(l)),
    ).broken,
  ).toBeUndefined();
  for (const l of forged.slice(1))
    await tamper(
      'UPDATE safedeploy.audit_lines SET line = $3, hash = $4, prev_hash = $5 WHERE stream = $1 AND seq = $2',
      [stream, l.seq, JSON.stringify(l), l.hash, l.prevHash],
    );
}
