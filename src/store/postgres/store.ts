// The PostgreSQL store: one pool per process, migrations applied before first use.
import type { Pool } from 'pg';
import type { SafeDeployStore } from '../store';
import { appendLines, listStreams, readAllLines, readHead, recordedEventIds, verifyLines } from './audit';
import { putEvidence } from './evidence';
import { migrate, type MigrationReport } from './migrations';
import { createPool, redactDatabaseUrl, retryConnection, type PoolOptions } from './pool';

export interface PostgresStore extends SafeDeployStore {
  readonly pool: Pool;
  migrate(): Promise<MigrationReport>;
}

export function postgresStore(url: string, options: PoolOptions = {}): PostgresStore {
  const pool = createPool(url, options);
  return {
    kind: 'postgres',
    location: redactDatabaseUrl(url),
    pool,
    migrate: () => retryConnection(() => migrate(pool)),
    writeEvidence: (incidentId, name, content, secrets) =>
      putEvidence(pool, incidentId, name, content, secrets),
    appendAudit: (stream, entries, secrets) => appendLines(pool, stream, entries, secrets),
    verifyStream: (stream, checkpoint) => verifyLines(pool, stream, checkpoint),
    listStreams: () => listStreams(pool),
    readHead: (stream) => readHead(pool, stream),
    readLines: (stream) => readAllLines(pool, stream),
    recordedEventIds: (stream, eventIds) => retryConnection(() => recordedEventIds(pool, stream, eventIds)),
    close: () => pool.end(),
  };
}
