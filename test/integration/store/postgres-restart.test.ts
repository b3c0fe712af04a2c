// PostgreSQL restarted while appends run: the pool reconnects, every event is recorded exactly once
// and the chain stays intact. On a private server (initdb + pg_ctl on a free port): restarting the
// machine's shared one would disturb every other test run.
import { postgresStore, type PostgresStore } from '../../../src/store/postgres/store';
import { startPrivatePostgres, type PrivatePostgres } from '../../harness/private-postgres';

let server: PrivatePostgres;
let store: PostgresStore;

beforeAll(async () => {
  server = await startPrivatePostgres();
  store = postgresStore(server.url);
  await store.migrate();
}, 60_000);

afterAll(async () => {
  await store?.close();
  server?.stop();
});

const startTime = async () =>
  (await store.pool.query<{ t: Date }>('SELECT pg_postmaster_start_time() AS t')).rows[0]!.t.getTime();

/** Appends batches like the record activity: a batch that fails is retried whole (as Temporal would). */
async function appendBatches(from: number, to: number, failures: string[]): Promise<void> {
  for (let i = from; i < to; i++) {
    const batch = [0, 1, 2].map((j) => ({ eventId: `b${i}-${j}`, batch: i }));
    for (;;) {
      try {
        await store.appendAudit('evaluations', batch);
        await store.writeEvidence(`inc-${i % 4}`, `batch-${i}.json`, { i });
        break;
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}

describe('PostgreSQL restarted in the middle of a run', () => {
  it('loses and duplicates nothing: the pool reconnects and the chain continues', async () => {
    const failures: string[] = [];
    const before = await startTime();
    await appendBatches(0, 20, failures);
    // Keep appending while the server restarts under the open pool.
    const writing = appendBatches(20, 120, failures);
    await new Promise((r) => setTimeout(r, 100));
    const atRestart = (await store.readHead('evaluations'))!.seq;
    await server.restart();
    await writing;

    expect(await startTime()).toBeGreaterThan(before);
    const lines = await store.readLines('evaluations');
    expect(lines).toHaveLength(360);
    expect(new Set(lines.map((l) => l.eventId)).size).toBe(360);
    expect(await store.verifyStream('evaluations')).toEqual({ stream: 'evaluations', lines: 360 });
    const { rows } = await store.pool.query('SELECT count(*)::int AS n FROM safedeploy.evidence');
    expect(rows[0]).toEqual({ n: 120 });
    // The restart really fell in the middle: appends before it and after it.
    expect(atRestart).toBeGreaterThan(60);
    expect(atRestart).toBeLessThan(300);
  }, 90_000);
});
