// Sloth → SafeDeploy, as named steps: read a document (versioned spec) → the plain Sloth model →
// catalog SLOs plus a report. Sloth has no SLO window in its spec (`sloth generate
// --default-slo-period`, 30d unless set), so the window is the caller's.
import type { CatalogIssue } from '../catalog/errors';
import { phraseIssue, toCatalogIssues } from '../catalog/spec-issues';
import {
  type Conversion,
  type DocumentReport,
  type ImportedService,
  newReport,
  type SourceDocument,
  where,
} from './model';
import { catalogName } from './names';
import { hasWindow } from './queries';
import {
  SLOTH_CRD_API_VERSION,
  SLOTH_FILE_VERSION,
  fromSlothCrd,
  fromSlothFile,
  slothCrdSchema,
  slothFileSchema,
  type SlothSlo,
  type SlothSpec,
} from './sloth-spec';

export type ReadResult = { spec: SlothSpec; kind: string } | { issues: CatalogIssue[] } | { foreign: true };

const ALERTING_REASON =
  'alerting is not imported: SafeDeploy derives page and ticket severities itself from multi-window burn rates';
const LABELS_REASON = 'SafeDeploy attaches no Prometheus labels to what it computes';
const PLUGIN_REASON = 'Sloth plugins are Go code run by Sloth at generation time; SafeDeploy runs none';
/** Sloth labels that name the owning team, in the order they are tried. */
const OWNER_LABELS = ['owner', 'team'];

export function readSlothDocument(source: SourceDocument): ReadResult {
  const value = source.value as { version?: unknown; apiVersion?: unknown } | null;
  const at = { file: source.file, document: source.document };
  if (value?.version === SLOTH_FILE_VERSION) {
    const parsed = slothFileSchema.safeParse(value, { error: phraseIssue });
    if (!parsed.success) return { issues: toCatalogIssues(parsed.error.issues, slothFileSchema, at) };
    return { spec: fromSlothFile(parsed.data), kind: SLOTH_FILE_VERSION };
  }
  if (value?.apiVersion === SLOTH_CRD_API_VERSION) {
    const parsed = slothCrdSchema.safeParse(value, { error: phraseIssue });
    if (!parsed.success) return { issues: toCatalogIssues(parsed.error.issues, slothCrdSchema, at) };
    return { spec: fromSlothCrd(parsed.data), kind: parsed.data.kind };
  }
  return { foreign: true };
}

export function convertSloth(
  documents: { source: SourceDocument; spec: SlothSpec; kind: string }[],
  window: string,
): Conversion {
  const conversion: Conversion = { services: [], reports: [] };
  for (const { source, spec, kind } of documents) {
    const report = newReport(source, kind, spec.service);
    const service = convertSpec(spec, window, report, where(source));
    if (service) conversion.services.push(service);
    conversion.reports.push(report);
  }
  return conversion;
}

function convertSpec(
  spec: SlothSpec,
  window: string,
  report: DocumentReport,
  origin: string,
): ImportedService | undefined {
  const { name, note } = catalogName(spec.service, 'service');
  if (name === undefined) {
    report.dropped.push({
      path: 'service',
      reason: `"${spec.service}" has no letter or digit to name a service`,
    });
    return undefined;
  }
  if (note) report.notes.push(note);
  const service: ImportedService = { name, slos: [], origins: [origin] };
  const owner = ownerFromLabels(spec.labels);
  if (owner) {
    service.owner = { team: spec.labels[owner]! };
    report.notes.push(`labels.${owner} → spec.owner.team`);
  }
  const labelsPath = spec.paths.slos === 'slos' ? 'labels' : 'spec.labels';
  for (const key of Object.keys(spec.labels).filter((k) => k !== owner))
    report.dropped.push({ path: `${labelsPath}.${key}`, reason: LABELS_REASON });
  if (spec.plugins) report.dropped.push({ path: spec.paths.plugins, reason: PLUGIN_REASON });
  spec.slos.forEach((slo, i) => convertSlo(slo, `${spec.paths.slos}[${i}]`, service, window, report));
  return service;
}

function ownerFromLabels(labels: Record<string, string>): string | undefined {
  return OWNER_LABELS.find((key) => (labels[key] ?? '') !== '');
}

function convertSlo(
  slo: SlothSlo,
  path: string,
  service: ImportedService,
  window: string,
  report: DocumentReport,
): void {
  for (const key of Object.keys(slo.labels))
    report.dropped.push({ path: `${path}.labels.${key}`, reason: LABELS_REASON });
  if (slo.plugins) report.dropped.push({ path: `${path}.plugins`, reason: PLUGIN_REASON });
  if (slo.alerting) report.dropped.push({ path: `${path}.alerting`, reason: ALERTING_REASON });
  const problem = sloProblem(slo, service);
  if (problem !== undefined) {
    report.dropped.push({ path, reason: `SLO "${slo.name}" not imported: ${problem}` });
    return;
  }
  const { name, note } = catalogName(slo.name, 'SLO');
  if (note) report.notes.push(note);
  const events = slo.sli.events!;
  service.slos.push({
    name: name!,
    objective: slo.objective,
    window,
    sli: { events: { errorQuery: events.errorQuery.trim(), totalQuery: events.totalQuery.trim() } },
    ...(slo.description !== undefined && slo.description !== '' && { description: slo.description }),
  });
  report.converted.push(`${service.name}/${name!}`);
}

function sloProblem(slo: SlothSlo, service: ImportedService): string | undefined {
  if (slo.sli.plugin) return `its SLI is the plugin "${slo.sli.plugin.id}"; ${PLUGIN_REASON}`;
  if (slo.sli.raw)
    return 'its SLI is a raw error ratio; SafeDeploy needs error and total event queries to weigh windows by traffic';
  if (!slo.sli.events) return 'it has no SLI (sli.events)';
  if (!(slo.objective > 0 && slo.objective < 100))
    return `objective ${slo.objective} leaves no error budget; SafeDeploy needs 0 < objective < 100`;
  const { errorQuery, totalQuery } = slo.sli.events;
  if (!hasWindow(errorQuery) || !hasWindow(totalQuery)) return 'a query lacks {{.window}}';
  const name = catalogName(slo.name, 'SLO').name;
  if (name === undefined) return 'its name has no letter or digit';
  if (service.slos.some((s) => s.name === name)) return `a second SLO named "${name}"`;
  return undefined;
}
