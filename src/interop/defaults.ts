// `--defaults FILE`: the SafeDeploy fields a Sloth or OpenSLO spec has no place for (owner, approvers,
// deployment, rollback, governance), given once for every imported service. `{{.service}}` in any
// string becomes the service's name, so one file can say `manifest: apps/{{.service}}/rollout.yaml`.
import { parse } from 'yaml';
import { CatalogError, type CatalogIssue } from '../catalog/errors';
import { validateDocument } from '../catalog/parse';
import { API_VERSION, KIND } from '../catalog/schema';
import { errorMessage } from '../errors';

export type ServiceDefaults = Record<string, unknown>;

export const DEFAULTS_FIELDS = ['owner', 'approvers', 'deployment', 'rollback', 'governance'] as const;
const SERVICE_PLACEHOLDER = /\{\{\s*\.service\s*\}\}/g;

/** Parses and checks a defaults file's text against the catalog schema; throws CatalogError naming `file`. */
export function parseDefaults(text: string, file: string): ServiceDefaults {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new CatalogError([{ file, reason: `not YAML: ${errorMessage(error).split('\n')[0]}` }]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new CatalogError([{ file, reason: `must be a mapping of ${DEFAULTS_FIELDS.join(', ')}` }]);
  const defaults = value as ServiceDefaults;
  const unknown = Object.keys(defaults).filter((k) => !(DEFAULTS_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new CatalogError(
      unknown.map((key) => ({
        file,
        path: key,
        reason: `unknown field; defaults may set ${DEFAULTS_FIELDS.join(', ')}`,
      })),
    );
  }
  const issues = specIssues(defaults, 'example', file);
  if (issues.length > 0) throw new CatalogError(issues);
  return defaults;
}

/** The defaults for one service, `{{.service}}` replaced. */
export function defaultsFor(defaults: ServiceDefaults, service: string): ServiceDefaults {
  return substitute(defaults, service) as ServiceDefaults;
}

function substitute(value: unknown, service: string): unknown {
  if (typeof value === 'string') return value.replace(SERVICE_PLACEHOLDER, service);
  if (Array.isArray(value)) return value.map((v) => substitute(v, service));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, service)]));
  return value;
}

/** The catalog's own validation, run on a document holding only the defaults; paths say `spec.x`. */
function specIssues(defaults: ServiceDefaults, service: string, file: string): CatalogIssue[] {
  const document = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: service },
    spec: defaultsFor(defaults, service),
  };
  const result = validateDocument(() => document, { file, document: 1 });
  if (!('issues' in result)) return [];
  return result.issues.map((issue) => ({
    file,
    ...(issue.path && { path: issue.path.replace(/^spec\./, '') }),
    reason: issue.reason,
  }));
}
