// `catalog export --to openslo`: the reverse of the OpenSLO import. Each service becomes an OpenSLO v1
// Service, each SLO an SLO with an inline ratio indicator (bad = the error query, total = the total query,
// both kept with their `{{.window}}`), a rolling window and Occurrences budgeting. Importing the result
// gives back every SLO's name, objective, window and queries (test/unit/interop/round-trip.test.ts).
import { stringify } from 'yaml';
import { DEFAULT_GOVERNANCE, type Service, type Slo } from '../catalog/model';
import { toShorthand } from './durations';
import { OPENSLO_API_VERSION } from './openslo-spec';

export interface ExportResult {
  text: string;
  /** What OpenSLO has no field for, per service. */
  notExported: { service: string; fields: string[] }[];
  skipped: { service: string; slo: string; reason: string }[];
}

const SAFEDEPLOY_ONLY = ['owner', 'approvers', 'deployment', 'rollback', 'governance'] as const;

export function exportOpenSlo(services: readonly Service[]): ExportResult {
  const documents: object[] = [];
  const result: ExportResult = { text: '', notExported: [], skipped: [] };
  for (const service of services) {
    documents.push(serviceDocument(service));
    for (const slo of service.slos) {
      const duration = toShorthand(slo.window);
      if (duration === undefined) {
        result.skipped.push({
          service: service.name,
          slo: slo.name,
          reason: `window ${slo.window} is shorter than a minute`,
        });
        continue;
      }
      documents.push(sloDocument(service.name, slo, duration));
    }
    const fields = SAFEDEPLOY_ONLY.filter((f) => hasField(service, f));
    if (fields.length > 0) result.notExported.push({ service: service.name, fields: [...fields] });
  }
  result.text = documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return result;
}

function hasField(service: Service, field: (typeof SAFEDEPLOY_ONLY)[number]): boolean {
  if (field === 'approvers') return service.approvers.length > 0;
  if (field === 'governance')
    return JSON.stringify(service.governance) !== JSON.stringify(DEFAULT_GOVERNANCE);
  return service[field] !== undefined;
}

function serviceDocument(service: Service): object {
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: 'Service',
    metadata: { name: service.name },
    spec: { description: service.owner ? `Owned by ${service.owner.team}` : `Service ${service.name}` },
  };
}

function sloDocument(service: string, slo: Slo, duration: string): object {
  const source = (query: string) => ({ metricSource: { type: 'Prometheus', spec: { query } } });
  const name = `${service}-${slo.name}`;
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: 'SLO',
    metadata: { name, displayName: slo.name },
    spec: {
      service,
      indicator: {
        metadata: { name },
        spec: {
          ratioMetric: {
            counter: true,
            bad: source(slo.sli.events.errorQuery),
            total: source(slo.sli.events.totalQuery),
          },
        },
      },
      timeWindow: [{ duration, isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: slo.name, target: Number((slo.objective / 100).toPrecision(12)) }],
    },
  };
}
