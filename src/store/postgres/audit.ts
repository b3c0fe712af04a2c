// The audit log in PostgreSQL. Each stream has a head row (its last seq and hash) that is both the
// append lock and the chain-head anchor: an append locks it (SELECT … FOR UPDATE), chains the new
// lines after it and moves it in the same transaction, so appends from any number of workers are
// serialised per stream; `(stream, event_id)` is unique, so an event is recorded once whatever retries.
import type { Pool, PoolClient } from 'pg';
import {
  ChainVerifier,
  chainEntries,
  GENESIS_HASH,
  type AuditEntry,
  type AuditLine,
  type ChainedLine,
  type VerifyResult,
} from '../../evidence/chain';
import type { ChainHead } from '../store';
import { inTransaction, retryConnection } from './pool';

const PAGE = 5_000;

export async function appendLines(
  pool: Pool,
  stream: string,
  entries: AuditEntry[],
  secrets: readonly string[] = [],
): Promise<number> {
  if (entries.length === 0) return 0;
  return retryConnection(() =>
    inTransaction(pool, async (client) => {
      const head = await lockHead(client, stream);
      const recorded = await recordedEventIds(
        client,
        stream,
        entries.map((e) => e.eventId),
      );
      const lines = chainEntries(head, entries, recorded, secrets);
      await insertLines(client, stream, lines);
      return lines.length;
    }),
  );
}

/** The ids among `eventIds` that the stream holds (one indexed lookup, `(stream, event_id)` is unique). */
export async function recordedEventIds(
  client: Pool | PoolClient,
  stream: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await client.query<{ event_id: string }>(
    'SELECT event_id FROM safedeploy.audit_lines WHERE stream = $1 AND event_id = ANY($2::text[])',
    [stream, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Creates the stream's head on first use, then locks it for the rest of the transaction. */
export async function lockHead(client: PoolClient, stream: string): Promise<ChainHead> {
  await client.query(
    'INSERT INTO safedeploy.audit_heads (stream, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (stream) DO NOTHING',
    [stream, GENESIS_HASH],
  );
  const { rows } = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM safedeploy.audit_heads WHERE stream = $1 FOR UPDATE',
    [stream],
  );
  const row = rows[0];
  if (!row) throw new Error(`audit stream "${stream}" has no head row`);
  return { seq: Number(row.seq), hash: row.hash };
}

/** Inserts already chained lines after the locked head and moves the head to the last one. */
export async function insertLines(
  client: PoolClient,
  stream: string,
  chained: readonly ChainedLine[],
): Promise<void> {
  const lines = chained.map((c) => c.line);
  const last = lines[lines.length - 1];
  if (!last) return;
  await client.query(
    `INSERT INTO safedeploy.audit_lines (stream, seq, event_id, prev_hash, hash, line)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      stream,
      lines.map((l) => l.seq),
      lines.map((l) => l.eventId),
      lines.map((l) => l.prevHash),
      lines.map((l) => l.hash),
      chained.map((c) => c.json),
    ],
  );
  await client.query(
    'UPDATE safedeploy.audit_heads SET seq = $2, hash = $3, updated_at = now() WHERE stream = $1',
    [stream, last.seq, last.hash],
  );
}

/**
 * Verifies one stream in a single read-only snapshot, so appends running meanwhile neither block it
 * nor make it see half a transaction; the chain's end must match the head row and the chain must
 * still pass through the exported checkpoint, if given.
 */
export async function verifyLines(pool: Pool, stream: string, checkpoint?: ChainHead): Promise<VerifyResult> {
  return retryConnection(() =>
    inTransaction(
      pool,
      async (client) => {
        const head = await readHeadWith(client, stream);
        const anchors = checkpoint ? [{ ...checkpoint, source: 'the exported checkpoint' }] : [];
        const verifier = new ChainVerifier(stream, anchors);
        let count = 0;
        for (let after = 0; ;) {
          const { rows } = await client.query<{ seq: string; line: string }>(
            'SELECT seq, line FROM safedeploy.audit_lines WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3',
            [stream, after, PAGE],
          );
          for (const row of rows) verifier.add(row.line);
          count += rows.length;
          const last = rows[rows.length - 1];
          if (!last || rows.length < PAGE) break;
          after = Number(last.seq);
        }
        if (!head && count > 0)
          return {
            stream,
            lines: count,
            broken: { line: 1, reason: 'the stream has lines but no head row (it was deleted)' },
          };
        return verifier.finish(head, count);
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    ),
  );
}

async function readHeadWith(client: Pool | PoolClient, stream: string): Promise<ChainHead | undefined> {
  const { rows } = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM safedeploy.audit_heads WHERE stream = $1',
    [stream],
  );
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

export const readHead = (pool: Pool, stream: string) => retryConnection(() => readHeadWith(pool, stream));

export async function listStreams(pool: Pool): Promise<string[]> {
  const { rows } = await retryConnection(() =>
    pool.query<{ stream: string }>(
      'SELECT stream FROM safedeploy.audit_heads UNION SELECT DISTINCT stream FROM safedeploy.audit_lines ORDER BY 1',
    ),
  );
  return rows.map((r) => r.stream);
}

export async function readAllLines(pool: Pool, stream: string): Promise<AuditLine[]> {
  const { rows } = await retryConnection(() =>
    pool.query<{ line: string }>('SELECT line FROM safedeploy.audit_lines WHERE stream = $1 ORDER BY seq', [
      stream,
    ]),
  );
  return rows.map((r) => JSON.parse(r.line) as AuditLine);
}
