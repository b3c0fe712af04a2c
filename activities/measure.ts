import { CatalogError } from '../src/catalog/errors';
import { loadCatalog } from '../src/catalog/loader';
import { evaluateFleet } from '../src/evaluation/evaluate-fleet';
import { observe, type ServiceObservation } from '../src/evaluation/observation';
import type { Service } from '../src/catalog/model';
import { queryBatch } from '../src/prometheus/batch';
import type { PrometheusClient } from '../src/prometheus/client';
import type { SliFailure } from '../src/prometheus/measure';
import type { ActivityDeps } from './index';
import { nonRetryableFailure } from './failures';

/**
 * One cycle's measurements as they enter the fleet evaluation's history: healthy services by name
 * only (most of a fleet, most of the time), the others with their full observation.
 */
export interface FleetSnapshot {
  evaluatedAt: string;
  normal: string[];
  observations: ServiceObservation[];
  queryErrors: SliFailure[];
}

export function createMeasureActivities({ catalogDir, prometheus }: ActivityDeps) {
  return {
    /** Loads the catalog (picking up edits) and measures every SLI with batched queries. */
    async measureFleet(): Promise<FleetSnapshot> {
      let catalog;
      try {
        catalog = await loadCatalog(catalogDir);
      } catch (err) {
        if (err instanceof CatalogError) throw nonRetryableFailure(err);
        throw err;
      }
      const at = new Date();
      const evaluation = await evaluateFleet(catalog, prometheus, at);
      const canaries = await canariesInProgress(prometheus, catalog.services, at);
      const all = catalog.services.map((service, i) => ({
        ...observe(service, evaluation.services[i]!, catalog.violations, evaluation.evaluatedAt),
        ...(canaries.has(service.name) ? { canary: true } : {}),
      }));
      return {
        evaluatedAt: evaluation.evaluatedAt,
        normal: all.filter((o) => !o.detail).map((o) => o.service),
        observations: all.filter((o) => o.detail),
        queryErrors: evaluation.queryErrors,
      };
    },
  };
}

/**
 * Services whose Rollout has a canary in progress, read from the Argo Rollouts controller's own
 * metric in Prometheus (SafeDeploy never asks the cluster). One batched request for the fleet.
 */
async function canariesInProgress(
  prometheus: PrometheusClient,
  services: Service[],
  at: Date,
): Promise<Set<string>> {
  const queries = services.flatMap((s) => {
    const r = s.deployment?.rollout;
    return r
      ? [
          {
            id: s.name,
            expr: `rollout_info{name="${r.name}",namespace="${r.namespace}",phase=~"Progressing|Paused"}`,
          },
        ]
      : [];
  });
  if (queries.length === 0) return new Set();
  const { values } = await queryBatch(prometheus, queries, at);
  return new Set(queries.filter((q) => (values.get(q.id) ?? 0) > 0).map((q) => q.id));
}
