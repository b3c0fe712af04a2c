// OpenSLO v1 → SafeDeploy, as named steps: read documents (openslo-read.ts) → index SLIs, data sources
// and services → each SLO objective becomes one catalog SLO, or a reason it could not.
import {
  type Conversion,
  type DocumentReport,
  type ImportedService,
  newReport,
  type SourceDocument,
  where,
} from './model';
import { catalogName } from './names';
import { indicatorEvents } from './openslo-indicator';
import { baseName, objectiveName, objectivePercent, sloWindow } from './openslo-objective';
import type { OpenSloObject } from './openslo-read';
import {
  ALERTING_KINDS,
  type DataSourceDocument,
  type Objective,
  type SliSpec,
  type SloDocument,
} from './openslo-spec';

export interface OpenSloInput {
  source: SourceDocument;
  object: OpenSloObject;
}

const ALERT_POLICIES_REASON = ALERTING_KINDS.AlertPolicy!;

interface Index {
  slis: Map<string, SliSpec>;
  dataSources: Map<string, DataSourceDocument>;
  services: Map<string, ImportedService>;
  order: ImportedService[];
}

export function convertOpenSlo(inputs: OpenSloInput[], defaultWindow: string): Conversion {
  const index: Index = { slis: new Map(), dataSources: new Map(), services: new Map(), order: [] };
  const reports: DocumentReport[] = [];
  const used = new Set<string>();
  for (const { object } of inputs) {
    if (object.kind === 'SLI') index.slis.set(object.name, object.spec);
    if (object.kind === 'DataSource')
      index.dataSources.set(object.dataSource.metadata.name, object.dataSource);
  }
  for (const { source, object } of inputs) {
    switch (object.kind) {
      case 'Service':
        reports.push(
          declareService(index, source, object.service.metadata.name, object.service.spec?.description),
        );
        break;
      case 'SLO':
        reports.push(convertSloDocument(index, source, object.slo, defaultWindow, used));
        break;
      case 'alerting': {
        const report = newReport(source, `openslo/v1 ${object.alertingKind}`, object.name);
        report.dropped.push({ path: '', reason: ALERTING_KINDS[object.alertingKind]! });
        reports.push(report);
        break;
      }
      default:
        break;
    }
  }
  for (const { source, object } of inputs) {
    if (object.kind === 'SLI') {
      const report = newReport(source, 'openslo/v1 SLI', object.name);
      if (!used.has(object.name)) report.notes.push('no SLO references this SLI');
      reports.push(report);
    }
    if (object.kind === 'DataSource') {
      const report = newReport(source, 'openslo/v1 DataSource', object.dataSource.metadata.name);
      report.notes.push('connection details are not imported: SafeDeploy reads PROMETHEUS_URL');
      reports.push(report);
    }
  }
  return { services: index.order, reports };
}

function serviceFor(index: Index, name: string, origin: string): ImportedService {
  let service = index.services.get(name);
  if (!service) {
    service = { name, slos: [], origins: [] };
    index.services.set(name, service);
    index.order.push(service);
  }
  if (!service.origins.includes(origin)) service.origins.push(origin);
  return service;
}

function declareService(
  index: Index,
  source: SourceDocument,
  name: string,
  description?: string,
): DocumentReport {
  const report = newReport(source, 'openslo/v1 Service', name);
  const label = catalogName(name, 'service');
  if (label.name === undefined) {
    report.dropped.push({
      path: 'metadata.name',
      reason: `"${name}" has no letter or digit to name a service`,
    });
    return report;
  }
  if (label.note) report.notes.push(label.note);
  const service = serviceFor(index, label.name, where(source));
  if (description) service.description = description;
  return report;
}

function convertSloDocument(
  index: Index,
  source: SourceDocument,
  slo: SloDocument,
  defaultWindow: string,
  used: Set<string>,
): DocumentReport {
  const report = newReport(source, 'openslo/v1 SLO', slo.metadata.name);
  const dropWhole = (reason: string) => {
    report.dropped.push({ path: '', reason: `SLO "${slo.metadata.name}" not imported: ${reason}` });
    return report;
  };
  const serviceLabel = catalogName(slo.spec.service, 'service');
  if (serviceLabel.name === undefined)
    return dropWhole(`service "${slo.spec.service}" has no letter or digit`);
  if (slo.spec.budgetingMethod !== 'Occurrences')
    return dropWhole(
      `budgetingMethod ${slo.spec.budgetingMethod} counts good time slices; SafeDeploy budgets occurrences (events)`,
    );
  const window = sloWindow(slo, defaultWindow, report);
  if ('problem' in window) return dropWhole(window.problem);
  const indicator = resolveIndicator(index, slo, used);
  if ('problem' in indicator) return dropWhole(indicator.problem);
  if ((slo.spec.alertPolicies ?? []).length > 0)
    report.dropped.push({ path: 'spec.alertPolicies', reason: ALERT_POLICIES_REASON });
  const serviceName = serviceLabel.name;
  const base = baseName(slo.metadata.name, slo.spec.service);
  slo.spec.objectives.forEach((objective, i) => {
    const path = `spec.objectives[${i}]`;
    const name = objectiveName(base, objective, i, slo.spec.objectives.length);
    const context = { index, report, objective, path, name, window: window.window, indicator, slo };
    convertObjective({ ...context, service: () => serviceFor(index, serviceName, where(source)) });
  });
  return report;
}

interface ObjectiveContext {
  index: Index;
  report: DocumentReport;
  /** Created on the first SLO that converts, so a service whose SLOs all fail is not invented. */
  service: () => ImportedService;
  objective: Objective;
  path: string;
  name: string | undefined;
  window: string;
  indicator: SliSpec;
  slo: SloDocument;
}

function convertObjective(ctx: ObjectiveContext): void {
  const { report, objective, path, name } = ctx;
  const drop = (reason: string) => report.dropped.push({ path, reason: `objective not imported: ${reason}` });
  if (objective.indicator !== undefined || objective.indicatorRef !== undefined)
    return void drop('composite SLOs (an indicator per objective) are not supported');
  if (objective.timeSliceTarget !== undefined || objective.timeSliceWindow !== undefined)
    report.dropped.push({
      path,
      reason: 'timeSliceTarget/timeSliceWindow apply to Timeslices budgeting only',
    });
  if (objective.compositeWeight !== undefined)
    report.dropped.push({ path: `${path}.compositeWeight`, reason: 'composite SLOs are not supported' });
  const target = objectivePercent(objective);
  if ('problem' in target) return void drop(target.problem);
  if (name === undefined) return void drop('its name has no letter or digit');
  const events = indicatorEvents(ctx.indicator, objective, ctx.index.dataSources);
  if ('problem' in events) return void drop(events.problem);
  const service = ctx.service();
  if (service.slos.some((s) => s.name === name))
    return void drop(`a second SLO named "${name}" in service ${service.name}`);
  report.notes.push(...events.notes);
  const description = ctx.slo.spec.description ?? ctx.slo.metadata.displayName;
  service.slos.push({
    name,
    objective: target.percent,
    window: ctx.window,
    sli: { events: events.events },
    ...(description !== undefined && description !== '' && { description }),
  });
  report.converted.push(`${service.name}/${name}`);
}

function resolveIndicator(index: Index, slo: SloDocument, used: Set<string>): SliSpec | { problem: string } {
  if (slo.spec.indicator) return slo.spec.indicator.spec;
  const ref = slo.spec.indicatorRef;
  if (ref === undefined) return { problem: 'it has neither indicator nor indicatorRef' };
  const sli = index.slis.get(ref);
  if (!sli) return { problem: `indicatorRef "${ref}" names no SLI in the inputs` };
  used.add(ref);
  return sli;
}
