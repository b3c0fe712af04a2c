// SafeDeploy's PostgreSQL schema, as numbered migrations applied in order and recorded in
// safedeploy.schema_migrations. Run by every worker at start and by `safedeploy db migrate`; an
// advisory lock makes concurrent runs (several replicas starting together) apply each one once.
// Migrations must stay compatible with the previous release's worker, which keeps running during a
// rolling update: add tables and columns, never drop or rename in the same release.
import type { Pool } from 'pg';
import { inTransaction } from './pool';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'evidence and audit',
    sql: `
      CREATE TABLE safedeploy.audit_heads (
        stream     text PRIMARY KEY,
        seq        bigint NOT NULL CHECK (seq >= 0),
        hash       text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE safedeploy.audit_lines (
        stream      text NOT NULL REFERENCES safedeploy.audit_heads (stream),
        seq         bigint NOT NULL CHECK (seq > 0),
        event_id    text NOT NULL,
        prev_hash   text NOT NULL,
        hash        text NOT NULL,
        line        text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream, seq),
        CONSTRAINT audit_lines_event_once UNIQUE (stream, event_id)
      );
      CREATE TABLE safedeploy.evidence (
        incident_id text NOT NULL,
        name        text NOT NULL,
        content     text NOT NULL,
        written_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, name)
      );
      -- Append-only in the database too: lines are never updated or deleted, heads never deleted.
      CREATE FUNCTION safedeploy.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the SafeDeploy audit log is append-only (% on %)', TG_OP, TG_TABLE_NAME;
      END $$;
      CREATE TRIGGER audit_lines_append_only BEFORE UPDATE OR DELETE ON safedeploy.audit_lines
        FOR EACH ROW EXECUTE FUNCTION safedeploy.refuse_audit_change();
      CREATE TRIGGER audit_heads_kept BEFORE DELETE ON safedeploy.audit_heads
        FOR EACH ROW EXECUTE FUNCTION safedeploy.refuse_audit_change();
    `,
  },
];

export interface MigrationReport {
  applied: Migration[];
  /** The schema version after the run. */
  version: number;
}

const MIGRATION_LOCK = "hashtext('safedeploy.schema_migrations')";

export async function migrate(pool: Pool): Promise<MigrationReport> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await client.query('CREATE SCHEMA IF NOT EXISTS safedeploy');
    await client.query(`CREATE TABLE IF NOT EXISTS safedeploy.schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM safedeploy.schema_migrations',
    );
    const done = new Set(rows.map((r) => r.version));
    const applied: Migration[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO safedeploy.schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration);
    }
    const version = Math.max(0, ...rows.map((r) => r.version), ...applied.map((m) => m.version));
    return { applied, version };
  });
}
