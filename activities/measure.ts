import { ApplicationFailure } from '@temporalio/activity';
import { CatalogError } from '../src/catalog/errors';
import { loadCatalog } from '../src/catalog/loader';
import { evaluateFleet } from '../src/evaluation/evaluate-fleet';
import { observe, type ServiceObservation } from '../src/evaluation/observation';
import type { SliFailure } from '../src/prometheus/measure';
import type { ActivityDeps } from './index';

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
        if (err instanceof CatalogError) throw ApplicationFailure.nonRetryable(err.message, 'CatalogError');
        throw err;
      }
      const at = new Date();
      const evaluation = await evaluateFleet(catalog, prometheus, at);
      const all = catalog.services.map((service, i) => observe(service, evaluation.services[i]!, catalog.violations, evaluation.evaluatedAt));
      return {
        evaluatedAt: evaluation.evaluatedAt,
        normal: all.filter((o) => !o.detail).map((o) => o.service),
        observations: all.filter((o) => o.detail),
        queryErrors: evaluation.queryErrors,
      };
    },
  };
}
