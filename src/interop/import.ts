// `catalog import` without I/O: parsed input documents → the chosen format's reader → conversion →
// merged services → rendered safedeploy/v1 files, each checked by the catalog's own parser, and the
// structural policy over the result. Reading and writing files is import-files.ts's business.
import { parseAllDocuments } from 'yaml';
import type { CatalogIssue } from '../catalog/errors';
import type { PolicyViolation } from '../catalog/model';
import { parseCatalogText } from '../catalog/parse';
import { checkStructuralPolicy } from '../catalog/policy';
import type { ServiceDefaults } from './defaults';
import { mergeServices } from './merge';
import { type Conversion, type DocumentReport, newReport, type SourceDocument } from './model';
import { convertOpenSlo, type OpenSloInput } from './openslo';
import { readOpenSloDocument } from './openslo-read';
import { renderService, type RenderedFile } from './render';
import { convertSloth, readSlothDocument } from './sloth';
import type { SlothSpec } from './sloth-spec';
import { errorMessage } from '../errors';

export const IMPORT_FORMATS = ['sloth', 'openslo'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  from: ImportFormat;
  /** SLO window for specs that carry none (Sloth; OpenSLO without timeWindow). */
  window: string;
  defaults: ServiceDefaults;
}

export interface ImportResult {
  files: RenderedFile[];
  reports: DocumentReport[];
  violations: PolicyViolation[];
  /** Input problems (schema errors): nothing may be written when there are any. */
  issues: CatalogIssue[];
  sloCount: number;
}

export interface InputFile {
  /** As the user named it, relative or absolute. */
  file: string;
  text: string;
}

export function importCatalog(inputs: InputFile[], options: ImportOptions): ImportResult {
  const issues: CatalogIssue[] = [];
  const ignored: DocumentReport[] = [];
  const documents = inputs.flatMap((input) => sourceDocuments(input, issues));
  const conversion =
    options.from === 'sloth'
      ? fromSloth(documents, options.window, issues, ignored)
      : fromOpenSlo(documents, options.window, issues, ignored);
  const merged = mergeServices(conversion);
  const files = merged.services.map((s) => renderService(s, options.defaults, options.from));
  const parsed = files.map((f) => parseCatalogText(f.text, f.name));
  issues.push(...parsed.flatMap((p) => p.issues));
  const services = parsed.flatMap((p) => p.services);
  return {
    files,
    reports: [...merged.reports, ...ignored].sort(byPosition),
    violations: checkStructuralPolicy(services),
    issues,
    sloCount: services.reduce((n, s) => n + s.slos.length, 0),
  };
}

function sourceDocuments(input: InputFile, issues: CatalogIssue[]): SourceDocument[] {
  return parseAllDocuments(input.text).flatMap((document, i) => {
    const at = { file: input.file, document: i + 1 };
    if (document.errors.length > 0) {
      issues.push({ ...at, reason: document.errors[0]!.message.split('\n')[0]! });
      return [];
    }
    try {
      const value: unknown = document.toJS();
      return value === null || value === undefined ? [] : [{ ...at, value }];
    } catch (error) {
      issues.push({ ...at, reason: errorMessage(error) });
      return [];
    }
  });
}

function fromSloth(
  documents: SourceDocument[],
  window: string,
  issues: CatalogIssue[],
  ignored: DocumentReport[],
): Conversion {
  const specs: { source: SourceDocument; spec: SlothSpec; kind: string }[] = [];
  for (const source of documents) {
    const read = readSlothDocument(source);
    if ('issues' in read) issues.push(...read.issues);
    else if ('foreign' in read)
      ignored.push(ignoredReport(source, 'not a Sloth prometheus/v1 spec or PrometheusServiceLevel'));
    else specs.push({ source, ...read });
  }
  return convertSloth(specs, window);
}

function fromOpenSlo(
  documents: SourceDocument[],
  window: string,
  issues: CatalogIssue[],
  ignored: DocumentReport[],
): Conversion {
  const objects: OpenSloInput[] = [];
  for (const source of documents) {
    const read = readOpenSloDocument(source);
    if ('issues' in read) issues.push(...read.issues);
    else if ('foreign' in read) ignored.push(ignoredReport(source, 'not an OpenSLO document'));
    else if ('unsupported' in read) {
      const report = newReport(source, String((source.value as { apiVersion?: unknown }).apiVersion), '');
      report.dropped.push({ path: '', reason: read.unsupported });
      ignored.push(report);
    } else objects.push({ source, object: read.object });
  }
  return convertOpenSlo(objects, window);
}

/** Foreign documents (a Deployment beside the specs) are listed, but are not a loss. */
function ignoredReport(source: SourceDocument, why: string): DocumentReport {
  const value = source.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
  const kind = typeof value?.kind === 'string' ? value.kind : 'unknown';
  const name = typeof value?.metadata?.name === 'string' ? value.metadata.name : '';
  const report = newReport(source, kind, name);
  report.notes.push(`ignored: ${why}`);
  return report;
}

function byPosition(a: DocumentReport, b: DocumentReport): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.document - b.document;
}

export function droppedCount(result: Pick<ImportResult, 'reports'>): number {
  return result.reports.reduce((n, r) => n + r.dropped.length, 0);
}
