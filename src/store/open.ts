// Choosing the store: PostgreSQL when a database URL is given (flag or SAFEDEPLOY_DATABASE_URL),
// files under the data directory otherwise.
import { fileStore } from './file-store';
import { postgresStore, type PostgresStore } from './postgres/store';
import type { SafeDeployStore } from './store';

export interface StoreConfig {
  dataDir: string;
  databaseUrl?: string;
  log?: (line: string) => void;
}

export function isDatabaseUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the configured store; a PostgreSQL schema is migrated before it is returned. */
export async function openStore(config: StoreConfig): Promise<SafeDeployStore> {
  if (!config.databaseUrl) return fileStore(config.dataDir);
  const store = openPostgres(config.databaseUrl, config.log);
  try {
    const report = await store.migrate();
    for (const m of report.applied) config.log?.(`database migration ${m.version} applied (${m.name})`);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

export function openPostgres(url: string, log?: (line: string) => void): PostgresStore {
  if (!isDatabaseUrl(url)) throw new Error('the database URL must start with postgres:// or postgresql://');
  return postgresStore(url, log ? { log } : {});
}
