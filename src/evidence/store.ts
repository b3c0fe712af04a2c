// Evidence files: DATA_DIR/evidence/<incident-id>/<name>.json, written atomically (temp file +
// rename) and idempotently (same content, no write), with secrets redacted.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redact } from './redact';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function evidenceDir(dataDir: string, incidentId: string): string {
  assertIncidentId(incidentId);
  return path.join(dataDir, 'evidence', incidentId);
}

/** The same names in every store: a path segment ending in .json. */
export function assertEvidenceName(incidentId: string, name: string): void {
  assertIncidentId(incidentId);
  if (!SAFE_SEGMENT.test(name) || !name.endsWith('.json'))
    throw new Error(`invalid evidence file name: "${name}"`);
}

/** The stored text of one evidence document, the same in every store: checked name, secrets redacted. */
export function evidenceText(
  incidentId: string,
  name: string,
  content: unknown,
  secrets: readonly string[],
): string {
  assertEvidenceName(incidentId, name);
  return `${redact(JSON.stringify(content, null, 2), secrets)}\n`;
}

function assertIncidentId(incidentId: string): void {
  if (!SAFE_SEGMENT.test(incidentId)) throw new Error(`invalid incident id for evidence: "${incidentId}"`);
}

/** Returns true when the file was written, false when it already held the same content. */
export async function writeEvidence(
  dataDir: string,
  incidentId: string,
  name: string,
  content: unknown,
  secrets: readonly string[] = [],
): Promise<boolean> {
  const text = evidenceText(incidentId, name, content, secrets);
  const dir = evidenceDir(dataDir, incidentId);
  const file = path.join(dir, name);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing === text) return false;
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
  return true;
}
