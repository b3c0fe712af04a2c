// Catalog-wide defaults: one optional `kind: CatalogDefaults` document, in any file of the catalog
// directory, whose settings every Service inherits unless it sets its own. Today it carries the
// enforcement mode, so a platform team can put a whole catalog in shadow and switch services one by
// one. Resolution is a separate, explicit step after every file is parsed.
import type { CatalogIssue } from './errors';
import { DEFAULT_GOVERNANCE, type EnforcementMode, type Service } from './model';
import type { CatalogDefaultsDocument } from './schema';

export interface CatalogDefaults {
  mode?: EnforcementMode;
  /** Notification routes for services that name none. */
  notifications?: string[];
  /** Where the document was declared, for error messages. */
  source: { file: string; document: number };
}

export function toCatalogDefaults(
  document: CatalogDefaultsDocument,
  source: CatalogDefaults['source'],
): CatalogDefaults {
  const { mode } = document.spec.governance;
  const { notifications } = document.spec;
  return {
    ...(mode === undefined ? {} : { mode }),
    ...(notifications === undefined ? {} : { notifications: [...notifications] }),
    source,
  };
}

/** A second CatalogDefaults document is an error naming both: two sources of truth would be a guess. */
export function duplicateDefaultsIssues(found: readonly CatalogDefaults[]): CatalogIssue[] {
  const [first, ...others] = found;
  if (!first) return [];
  return others.map((d) => ({
    ...d.source,
    path: 'kind',
    reason: `a second CatalogDefaults document; the catalog already has one in ${first.source.file} (document ${first.source.document})`,
  }));
}

/**
 * Services whose own governance leaves `mode` out take the catalog default, else enforce; services
 * without notification routes take the catalog's (else the routes file's default applies).
 * @param inheriting the services that did not set a mode themselves
 */
export function applyCatalogDefaults(
  services: readonly Service[],
  inheriting: ReadonlySet<Service>,
  defaults: CatalogDefaults | undefined,
): Service[] {
  const mode = defaults?.mode ?? DEFAULT_GOVERNANCE.mode;
  const notifications = defaults?.notifications;
  return services.map((s) => {
    const withMode =
      inheriting.has(s) && s.governance.mode !== mode ? { ...s, governance: { ...s.governance, mode } } : s;
    return notifications && withMode.notifications === undefined
      ? { ...withMode, notifications: [...notifications] }
      : withMode;
  });
}
