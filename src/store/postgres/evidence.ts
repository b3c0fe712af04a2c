// Evidence documents in PostgreSQL, one row per (incident, name): writing the same content again
// changes nothing, new content for the same name replaces it (as the file store's rename does).
import type { Pool } from 'pg';
import { assertEvidenceName, evidenceText } from '../../evidence/store';
import { retryConnection } from './pool';

export async function putEvidence(
  pool: Pool,
  incidentId: string,
  name: string,
  content: unknown,
  secrets: readonly string[] = [],
): Promise<boolean> {
  return putEvidenceText(pool, incidentId, name, evidenceText(incidentId, name, content, secrets));
}

export async function putEvidenceText(
  pool: Pool,
  incidentId: string,
  name: string,
  text: string,
): Promise<boolean> {
  const { rowCount } = await retryConnection(() =>
    pool.query(
      `INSERT INTO safedeploy.evidence (incident_id, name, content) VALUES ($1, $2, $3)
       ON CONFLICT (incident_id, name) DO UPDATE SET content = EXCLUDED.content, written_at = now()
       WHERE safedeploy.evidence.content IS DISTINCT FROM EXCLUDED.content`,
      [incidentId, name, text],
    ),
  );
  return (rowCount ?? 0) > 0;
}

/** Inserts only when absent; returns what was there before, if anything (import). */
export async function insertEvidenceIfAbsent(
  pool: Pool,
  incidentId: string,
  name: string,
  text: string,
): Promise<'inserted' | 'same' | 'differs'> {
  assertEvidenceName(incidentId, name);
  const { rowCount } = await retryConnection(() =>
    pool.query(
      `INSERT INTO safedeploy.evidence (incident_id, name, content) VALUES ($1, $2, $3)
       ON CONFLICT (incident_id, name) DO NOTHING`,
      [incidentId, name, text],
    ),
  );
  if ((rowCount ?? 0) > 0) return 'inserted';
  const { rows } = await pool.query<{ content: string }>(
    'SELECT content FROM safedeploy.evidence WHERE incident_id = $1 AND name = $2',
    [incidentId, name],
  );
  return rows[0]?.content === text ? 'same' : 'differs';
}
