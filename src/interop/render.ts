// The output step of an import: each imported service becomes one safedeploy/v1 file, with the
// defaults filled in, SLO descriptions kept as comments and a header naming where it came from.
import { Document, isMap, isSeq } from 'yaml';
import { API_VERSION, KIND } from '../catalog/schema';
import { defaultsFor, type ServiceDefaults } from './defaults';
import type { ImportedService } from './model';

export interface RenderedFile {
  /** File name inside the output directory, e.g. `checkout.yaml`. */
  name: string;
  text: string;
}

export function renderService(
  service: ImportedService,
  defaults: ServiceDefaults,
  from: string,
): RenderedFile {
  const fromDefaults = defaultsFor(defaults, service.name);
  const spec: Record<string, unknown> = {};
  const owner = service.owner ?? fromDefaults.owner;
  if (owner !== undefined) spec.owner = owner;
  if (fromDefaults.approvers !== undefined) spec.approvers = fromDefaults.approvers;
  spec.slos = service.slos.map((slo) => ({
    name: slo.name,
    objective: slo.objective,
    window: slo.window,
    sli: { events: { errorQuery: slo.sli.events.errorQuery, totalQuery: slo.sli.events.totalQuery } },
  }));
  for (const key of ['deployment', 'rollback', 'governance'] as const)
    if (fromDefaults[key] !== undefined) spec[key] = fromDefaults[key];
  const document = new Document({
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: service.name },
    spec,
  });
  const header = [
    `Imported by \`safedeploy catalog import --from ${from}\` from:`,
    ...service.origins.map((o) => `  ${o}`),
  ];
  if (service.description) header.push(...commentLines(service.description));
  document.commentBefore = header.map((line) => ` ${line}`).join('\n');
  describeSlos(document, service);
  return { name: `${service.name}.yaml`, text: document.toString({ lineWidth: 0 }) };
}

function describeSlos(document: Document, service: ImportedService): void {
  const slos = document.getIn(['spec', 'slos'], true);
  if (!isSeq(slos)) return;
  slos.items.forEach((item, i) => {
    const description = service.slos[i]?.description;
    if (description && isMap(item))
      item.commentBefore = commentLines(description)
        .map((l) => ` ${l}`)
        .join('\n');
  });
}

function commentLines(text: string): string[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trimEnd());
}
