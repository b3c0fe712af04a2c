// Step one for OpenSLO: each YAML document → one typed OpenSLO object, an issue list, or "not OpenSLO".
import type { CatalogIssue } from '../catalog/errors';
import { phraseIssue, toCatalogIssues } from '../catalog/spec-issues';
import type { z } from 'zod';
import type { SourceDocument } from './model';
import {
  ALERTING_KINDS,
  OPENSLO_API_VERSION,
  dataSourceDocumentSchema,
  serviceDocumentSchema,
  sliDocumentSchema,
  sloDocumentSchema,
  type DataSourceDocument,
  type ServiceDocument,
  type SliSpec,
  type SloDocument,
} from './openslo-spec';

export type OpenSloObject =
  | { kind: 'SLO'; slo: SloDocument }
  | { kind: 'SLI'; name: string; spec: SliSpec }
  | { kind: 'Service'; service: ServiceDocument }
  | { kind: 'DataSource'; dataSource: DataSourceDocument }
  | { kind: 'alerting'; alertingKind: string; name: string };

export type OpenSloRead =
  { object: OpenSloObject } | { issues: CatalogIssue[] } | { unsupported: string } | { foreign: true };

export function readOpenSloDocument(source: SourceDocument): OpenSloRead {
  const value = source.value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { name?: unknown };
  } | null;
  const apiVersion = value?.apiVersion;
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith('openslo/')) return { foreign: true };
  if (apiVersion !== OPENSLO_API_VERSION)
    return {
      unsupported: `${apiVersion} is not supported; only ${OPENSLO_API_VERSION} documents are imported`,
    };
  const at = { file: source.file, document: source.document };
  const kind = typeof value?.kind === 'string' ? value.kind : '';
  const check = <S extends z.ZodType>(schema: S): { data: z.output<S> } | { issues: CatalogIssue[] } => {
    const parsed = schema.safeParse(value, { error: phraseIssue });
    return parsed.success
      ? { data: parsed.data }
      : { issues: toCatalogIssues(parsed.error.issues, schema, at) };
  };
  switch (kind) {
    case 'SLO': {
      const r = check(sloDocumentSchema);
      return 'issues' in r ? r : { object: { kind: 'SLO', slo: r.data } };
    }
    case 'SLI': {
      const r = check(sliDocumentSchema);
      return 'issues' in r ? r : { object: { kind: 'SLI', name: r.data.metadata.name, spec: r.data.spec } };
    }
    case 'Service': {
      const r = check(serviceDocumentSchema);
      return 'issues' in r ? r : { object: { kind: 'Service', service: r.data } };
    }
    case 'DataSource': {
      const r = check(dataSourceDocumentSchema);
      return 'issues' in r ? r : { object: { kind: 'DataSource', dataSource: r.data } };
    }
    default: {
      if (kind in ALERTING_KINDS) {
        const name = typeof value?.metadata?.name === 'string' ? value.metadata.name : '';
        return { object: { kind: 'alerting', alertingKind: kind, name } };
      }
      return { unsupported: `kind "${kind}" is not an OpenSLO v1 kind SafeDeploy knows` };
    }
  }
}
