// Builds catalog documents for table tests: every case starts from the one good fixture
// (test/fixtures/catalog/good/checkout.yaml) and changes a single field.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { formatIssue } from '../../../src/catalog/errors';
import type { Service } from '../../../src/catalog/model';
import { parseCatalogText, type ParsedFile } from '../../../src/catalog/parse';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'catalog');
export const GOOD_TEXT = readFileSync(path.join(FIXTURES, 'good', 'checkout.yaml'), 'utf8');

export type Doc = Record<string, unknown>;

export function goodDocument(): Doc {
  return YAML.parse(GOOD_TEXT) as Doc;
}

/** The good document with the value at `dotted` (e.g. spec.slos.0.objective) replaced; undefined deletes it. */
export function changed(dotted: string, value: unknown): Doc {
  const doc = goodDocument();
  const keys = dotted.split('.');
  const last = keys.pop() as string;
  let node = doc as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return doc;
}

/** The good document with the field at `dotted` renamed to `newKey` (a typo), keeping its value. */
export function renamed(dotted: string, newKey: string): Doc {
  const keys = dotted.split('.');
  const value = keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], goodDocument());
  const doc = changed(dotted, undefined);
  const parent = keys
    .slice(0, -1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], doc);
  (parent as Record<string, unknown>)[newKey] = value;
  return doc;
}

export function parseDocuments(docs: readonly unknown[], file = 'checkout.yaml'): ParsedFile {
  return parseCatalogText(docs.map((d) => YAML.stringify(d)).join('---\n'), file);
}

export function issueLines(doc: unknown): string[] {
  return parseDocuments([doc]).issues.map(formatIssue);
}

/** The one service a document maps to; fails the test with the issues if it does not validate. */
export function serviceOf(doc: unknown): Service {
  const { services, issues } = parseDocuments([doc]);
  const [service] = services;
  if (!service || issues.length > 0)
    throw new Error(`expected a valid service, got:\n${issues.map(formatIssue).join('\n')}`);
  return service;
}

/** A throwaway catalog directory holding `files` (name → text); removed by the returned cleanup. */
export async function catalogDir(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-catalog-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `test` against a temporary catalog directory holding `files`, and removes it afterwards. */
export async function withCatalog(
  files: Record<string, string>,
  test: (dir: string) => Promise<void>,
): Promise<void> {
  const { dir, cleanup } = await catalogDir(files);
  try {
    await test(dir);
  } finally {
    await cleanup();
  }
}
