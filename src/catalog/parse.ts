// Text → validated services, with no I/O: one YAML file may hold several Service documents. Every
// problem becomes an issue (nothing throws), so the loader can report a whole catalog in one pass.
import { parseAllDocuments, type YAMLError } from 'yaml';
import { toCatalogDefaults, type CatalogDefaults } from './defaults';
import type { CatalogIssue } from './errors';
import { toService } from './mapping';
import type { Service } from './model';
import {
  catalogDefaultsDocumentSchema,
  DEFAULTS_KIND,
  documentHeaderSchema,
  serviceDocumentSchema,
} from './schema';
import { phraseIssue, toCatalogIssues } from './spec-issues';
import { errorMessage } from '../errors';

export interface ParsedFile {
  /** Relative to the catalog directory. */
  file: string;
  services: Service[];
  issues: CatalogIssue[];
  /** CatalogDefaults documents found in the file (more than one in a catalog is an issue). */
  defaults?: CatalogDefaults[];
  /** The services that set no enforcement mode of their own: they take the catalog default. */
  inheritsMode?: Service[];
}

type Where = { file: string; document: number };
type DocumentResult =
  | { service: Service; inheritsMode: boolean }
  | { defaults: CatalogDefaults }
  | { issues: CatalogIssue[] }
  | { empty: true };

/** More Service documents than any team keeps in one file. */
export const MAX_DOCUMENTS_PER_FILE = 200;

export function parseCatalogText(text: string, file: string): ParsedFile {
  const parsed: ParsedFile = { file, services: [], issues: [], defaults: [], inheritsMode: [] };
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length > MAX_DOCUMENTS_PER_FILE) {
    const reason = `holds ${list.length} YAML documents, more than the ${MAX_DOCUMENTS_PER_FILE} allowed in one file; split it`;
    return { ...parsed, issues: [{ file, reason }] };
  }
  list.forEach((document, index) => {
    // Only a document's first syntax error: the ones after it are mostly its echoes.
    const where = { file, document: index + 1 };
    const result =
      document.errors.length > 0
        ? { issues: [syntaxIssue(document.errors[0] as YAMLError, where)] }
        : validateDocument(() => document.toJS() as unknown, where);
    if ('service' in result) parsed.services.push(result.service);
    if ('service' in result && result.inheritsMode) parsed.inheritsMode?.push(result.service);
    if ('defaults' in result) parsed.defaults?.push(result.defaults);
    if ('issues' in result) parsed.issues.push(...result.issues);
  });
  return parsed;
}

/** Validates one document's data; `read` may throw (an unresolved alias, say), which is an issue too. */
export function validateDocument(read: () => unknown, where: Where): DocumentResult {
  let value: unknown;
  try {
    value = read();
  } catch (error) {
    return { issues: [{ ...where, reason: errorMessage(error) }] };
  }
  if (value === null || value === undefined) return { empty: true };
  if (isDefaultsDocument(value)) {
    const defaults = catalogDefaultsDocumentSchema.safeParse(value, { error: phraseIssue });
    if (!defaults.success)
      return { issues: toCatalogIssues(defaults.error.issues, catalogDefaultsDocumentSchema, where) };
    return { defaults: toCatalogDefaults(defaults.data, where) };
  }
  const header = documentHeaderSchema.safeParse(value, { error: phraseIssue });
  if (!header.success) return { issues: toCatalogIssues(header.error.issues, documentHeaderSchema, where) };
  const result = serviceDocumentSchema.safeParse(value, { error: phraseIssue });
  if (!result.success) return { issues: toCatalogIssues(result.error.issues, serviceDocumentSchema, where) };
  return {
    service: toService(result.data, where),
    inheritsMode: result.data.spec.governance.mode === undefined,
  };
}

function isDefaultsDocument(value: unknown): boolean {
  return typeof value === 'object' && (value as { kind?: unknown }).kind === DEFAULTS_KIND;
}

/** yaml's pretty message repeats the position and quotes the source; keep the reason, position apart. */
function syntaxIssue(error: YAMLError, where: Where): CatalogIssue {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const reason = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  const position = error.linePos?.[0];
  return position ? { ...where, line: position.line, column: position.col, reason } : { ...where, reason };
}
