// PostgreSQL for the tests: the machine's server (127.0.0.1:5432, trust auth; SAFEDEPLOY_TEST_POSTGRES_URL
// overrides), one throwaway database per jest run created by global-setup.ts and dropped by
// global-teardown.ts, and one database per test file beside it (same name prefix, dropped by the file).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const POSTGRES_ENV = {
  /** A database on the server to connect to for CREATE/DROP DATABASE. */
  server: 'SAFEDEPLOY_TEST_POSTGRES_URL',
  /** The run's database, set by the global setup (or why there is none). */
  database: 'SAFEDEPLOY_TEST_DATABASE_URL',
  unavailable: 'SAFEDEPLOY_TEST_POSTGRES_UNAVAILABLE',
} as const;

export const serverUrl = (): string =>
  process.env[POSTGRES_ENV.server] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onServer<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(url: string, name: string): Promise<string> {
  await onServer(url, (c) => c.query(`CREATE DATABASE "${name}"`));
  return withDatabase(url, name);
}

export async function dropDatabases(url: string, prefix: string): Promise<void> {
  await onServer(url, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

/** The run's database URL; throws why PostgreSQL is not available (the global setup could not reach it). */
export function testDatabaseUrl(): string {
  const url = process.env[POSTGRES_ENV.database];
  if (url) return url;
  throw new Error(
    `no test database: ${process.env[POSTGRES_ENV.unavailable] ?? 'run the tests through jest'} ` +
      '(start PostgreSQL on 127.0.0.1:5432 or set SAFEDEPLOY_TEST_POSTGRES_URL)',
  );
}

/** A database of this test file's own, beside the run's; drop it with the returned function. */
export async function fileDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const run = new URL(testDatabaseUrl()).pathname.slice(1);
  const name = `${run}_${label}_${randomBytes(3).toString('hex')}`;
  const url = await createDatabase(serverUrl(), name);
  return { url, drop: () => dropDatabases(serverUrl(), name) };
}

export function runDatabaseName(): string {
  return `safedeploy_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
