// The SLO part of the fleet's decisions (as `safedeploy evaluate` computes it), shared by /v1/services,
// the gate and the periodic refresh. Concurrent callers share one evaluation in flight, so a burst of
// requests costs Prometheus one evaluation, and the latest result is kept: the gate answers from it
// while it is within its staleness bound (fresh()), and listings show it when Prometheus is down.
import { assessmentOf, evaluateFleet, type FleetEvaluation } from '../evaluation/evaluate-fleet';
import type { PrometheusClient } from '../prometheus/client';
import type { CatalogSource } from './catalog-source';
import type { ApiMetrics } from './metrics';

/** After a failed evaluation, fresh() fails for this long without asking Prometheus again. */
const FAILURE_MEMO_MS = 1_000;

export class FleetEvaluator {
  /** The newest successful evaluation. */
  latest: FleetEvaluation | undefined;
  private inflight: Promise<FleetEvaluation> | undefined;
  private lastFailure: { at: number; error: unknown } | undefined;

  constructor(
    private readonly deps: { catalog: CatalogSource; prometheus: PrometheusClient; metrics: ApiMetrics },
  ) {}

  evaluate(at = new Date()): Promise<FleetEvaluation> {
    this.inflight ??= this.run(at).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * The latest evaluation if it is at most `maxAgeMs` old at `now` and covers `service`; otherwise a new
   * one (shared with any in flight). A failure within the last second is rethrown without a new attempt.
   */
  async fresh(now: Date, maxAgeMs: number, service?: string): Promise<FleetEvaluation> {
    const latest = this.latest;
    if (latest && within(ageMs(latest, now), maxAgeMs) && covers(latest, service)) return latest;
    const failure = this.lastFailure;
    if (failure && now.getTime() - failure.at < FAILURE_MEMO_MS) throw failure.error;
    return this.evaluate(now);
  }

  private async run(at: Date): Promise<FleetEvaluation> {
    const done = this.deps.metrics.startEvaluation('fleet');
    try {
      const evaluation = await evaluateFleet(this.deps.catalog.current(), this.deps.prometheus, at);
      this.deps.metrics.recordFleet(evaluation.services);
      if (!this.latest || this.latest.evaluatedAt <= evaluation.evaluatedAt) this.latest = evaluation;
      this.lastFailure = undefined;
      return evaluation;
    } catch (err) {
      this.lastFailure = { at: Date.now(), error: err };
      this.deps.metrics.clearSlos();
      throw err;
    } finally {
      done();
    }
  }
}

export function ageMs(evaluation: FleetEvaluation, now: Date): number {
  return now.getTime() - Date.parse(evaluation.evaluatedAt);
}

/** An evaluation made after `now` (a clock set back) is no more usable than one past the bound. */
export function within(age: number, maxAgeMs: number): boolean {
  return age >= 0 && age <= maxAgeMs;
}

function covers(evaluation: FleetEvaluation, service: string | undefined): boolean {
  return service === undefined || assessmentOf(evaluation, service) !== undefined;
}
