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
