// The connection pool and the few helpers every PostgreSQL query goes through: transactions, retry of
// a lost connection (a restarted or failed-over server), and a URL fit to print.
import { Pool, type PoolClient } from 'pg';

export interface PoolOptions {
  /** Connections per process (each worker runs several activities at once). */
  max?: number;
  log?: (line: string) => void;
}

export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'safedeploy',
  });
  // An idle connection the server closed (restart, failover) must not crash the process: the pool
  // drops it and the next query opens a new one.
  pool.on('error', (err) => options.log?.(`database connection lost: ${err.message}`));
  return pool;
}

/** Runs `work` in one transaction; rolled back if it throws. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out connection the server drops emits 'error' on the client (not the pool); the
  // statement in flight fails with it, so it only needs to be kept from crashing the process.
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    // A connection that failed is unusable: destroy it rather than return it to the pool.
    client.off('error', onError);
    client.release(broken);
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** A lost or refused connection, as opposed to an error in the statement itself. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    err.message,
  );
}

/**
 * Retries `work` while the server is unreachable, for about `budgetMs`. Safe for SafeDeploy's writes:
 * a transaction that did not commit left nothing, and one whose commit was acknowledged but lost is
 * found again by its event id or evidence key.
 */
export async function retryConnection<T>(work: () => Promise<T>, budgetMs = 15_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}

/** The URL without its password, for messages and `location`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable database URL';
  }
}
