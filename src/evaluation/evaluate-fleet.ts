// `evaluate`: catalog + Prometheus → the SLO part of every service's decision. Reads only.
import type { Catalog } from '../catalog/model';
import type { PrometheusClient } from '../prometheus/client';
import { sloKey, type SliFailure } from '../prometheus/measure';
import { measureFromSources, type MeasureOptions } from '../prometheus/sources';
import { assessService, type ServiceAssessment } from './assess-service';

export interface FleetEvaluation {
  evaluatedAt: string;
  services: ServiceAssessment[];
  /** Queries Prometheus rejected; their SLOs are evaluated as no data. */
  queryErrors: SliFailure[];
}

export async function evaluateFleet(
  catalog: Catalog,
  client: PrometheusClient,
  at: Date,
  options: MeasureOptions = {},
): Promise<FleetEvaluation> {
  const measured = await measureFromSources(client, catalog.services, at, options);
  const services = catalog.services.map((service) =>
    assessService(service, (slo) => measured.slos.get(sloKey(service.name, slo)), catalog.violations),
  );
  return { evaluatedAt: at.toISOString(), services, queryErrors: measured.failures };
}

const indexes = new WeakMap<FleetEvaluation, Map<string, ServiceAssessment>>();

/**
 * One service's assessment in an evaluation, by index: the gate asks on every call and listings ask
 * for every service, in fleets of 10,000 (a search each made a listing quadratic).
 */
export function assessmentOf(evaluation: FleetEvaluation, service: string): ServiceAssessment | undefined {
  let index = indexes.get(evaluation);
  if (!index) {
    index = new Map(evaluation.services.map((s) => [s.service, s]));
    indexes.set(evaluation, index);
  }
  return index.get(service);
}
