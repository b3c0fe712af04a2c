// The SLO part of the fleet's decisions (as `safedeploy evaluate` computes it), shared by /v1/services
// and the periodic refresh. Concurrent callers share one evaluation in flight, so a burst of listings
// costs Prometheus one batch, and the latest result is kept for when Prometheus cannot be reached.
import { evaluateFleet, type FleetEvaluation } from '../evaluation/evaluate-fleet';
import type { PrometheusClient } from '../prometheus/client';
import type { CatalogSource } from './catalog-source';
import type { ApiMetrics } from './metrics';

export class FleetEvaluator {
  /** The newest successful evaluation. */
  latest: FleetEvaluation | undefined;
  private inflight: Promise<FleetEvaluation> | undefined;

  constructor(
    private readonly deps: { catalog: CatalogSource; prometheus: PrometheusClient; metrics: ApiMetrics },
  ) {}

  evaluate(at = new Date()): Promise<FleetEvaluation> {
    this.inflight ??= this.run(at).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async run(at: Date): Promise<FleetEvaluation> {
    const done = this.deps.metrics.startEvaluation('fleet');
    try {
      const evaluation = await evaluateFleet(this.deps.catalog.current(), this.deps.prometheus, at);
      this.deps.metrics.recordFleet(evaluation.services);
      this.latest = evaluation;
      return evaluation;
    } catch (err) {
      this.deps.metrics.clearSlos();
      throw err;
    } finally {
      done();
    }
  }
}
