// Reads a catalog directory: every *.yaml / *.yml file (sorted, not recursive), every document in it.
// All issues across all files are collected before failing, and nothing is ever written.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { applyCatalogDefaults, duplicateDefaultsIssues } from './defaults';
import { FileLimitError, MIB, readBoundedFile } from '../files/bounded-read';
import { CatalogError, type CatalogIssue } from './errors';
import type { Catalog, Service } from './model';
import { parseCatalogText, type ParsedFile } from './parse';
import { checkStructuralPolicy } from './policy';
import { errorMessage } from '../errors';

const CATALOG_FILE = /\.ya?ml$/;

export async function loadCatalog(dir: string): Promise<Catalog> {
  const files = await listCatalogFiles(dir);
  const parsed = await Promise.all(files.map((file) => loadCatalogFile(dir, file)));
  return buildCatalog(parsed, dir);
}

/** Catalog file names in `dir`, sorted so services, issues and duplicates are reported deterministically. */
export async function listCatalogFiles(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new CatalogError([{ reason: directoryProblem(dir, error) }]);
  }
  // Symbolic links count: a Kubernetes ConfigMap volume presents its files as links into ..data/.
  // A FIFO or device named *.yaml is listed too, so that reading it refuses it by name.
  const files = entries
    .filter((e) => !e.isDirectory() && !e.name.startsWith('.') && CATALOG_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
  if (files.length === 0)
    throw new CatalogError([{ reason: `no *.yaml or *.yml files in catalog directory ${dir}` }]);
  return files;
}

/** A catalog file is a handful of services; anything near this is a mistake or an attack. */
export const MAX_CATALOG_FILE_BYTES = 4 * MIB;

export async function loadCatalogFile(dir: string, file: string): Promise<ParsedFile> {
  let text: string;
  try {
    text = await readBoundedFile(join(dir, file), { maxBytes: MAX_CATALOG_FILE_BYTES, what: 'the file' });
  } catch (error) {
    const reason = error instanceof FileLimitError ? error.message : `cannot read: ${errorMessage(error)}`;
    return { file, services: [], issues: [{ file, reason }] };
  }
  return parseCatalogText(text, file);
}

/** Joins parsed files into a catalog, or throws every issue at once. */
export function buildCatalog(files: readonly ParsedFile[], dir: string): Catalog {
  const defaults = files.flatMap((f) => f.defaults ?? []);
  const inheriting = new Set(files.flatMap((f) => f.inheritsMode ?? []));
  const services = applyCatalogDefaults(
    files.flatMap((f) => f.services),
    inheriting,
    defaults[0],
  );
  const issues = [
    ...files.flatMap((f) => f.issues),
    ...duplicateNameIssues(services),
    ...duplicateDefaultsIssues(defaults),
  ];
  if (issues.length === 0 && services.length === 0) {
    issues.push({ reason: `catalog directory ${dir} holds no Service documents` });
  }
  if (issues.length > 0) throw new CatalogError(sortIssues(issues));
  return { services, violations: checkStructuralPolicy(services) };
}

function duplicateNameIssues(services: readonly Service[]): CatalogIssue[] {
  const firstSeen = new Map<string, Service>();
  const issues: CatalogIssue[] = [];
  for (const service of services) {
    const first = firstSeen.get(service.name);
    if (!first) {
      firstSeen.set(service.name, service);
      continue;
    }
    issues.push({
      ...service.source,
      path: 'metadata.name',
      reason: `duplicate service name "${service.name}", already declared in ${first.source.file} (document ${first.source.document})`,
    });
  }
  return issues;
}

/** Stable: by file, then document; directory-level issues first. */
function sortIssues(issues: CatalogIssue[]): CatalogIssue[] {
  const key = (i: CatalogIssue) => i.file ?? '';
  return issues.sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : (a.document ?? 0) - (b.document ?? 0),
  );
}

function directoryProblem(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `catalog directory ${dir} does not exist`;
  if (code === 'ENOTDIR') return `catalog path ${dir} is not a directory`;
  return `cannot read catalog directory ${dir}: ${errorMessage(error)}`;
}
