// What the HTTP gate answers from: the shared fleet evaluation and each service's Temporal state, both
// reused while at most `maxAgeMs` old, so Prometheus and Temporal see load that depends on time and
// fleet size, not on how often Argo Rollouts asks. Past the bound the gate reads again (one read for
// all concurrent callers); when that read fails, the gate fails closed as it always has.
import type { Catalog } from '../catalog/model';
import type { ServiceAssessment } from '../evaluation/assess-service';
import {
  answerFromInputs,
  catalogEntry,
  prometheusFailure,
  temporalFailure,
  type GateAnswer,
} from '../operator/gate';
import { serviceTemporalState, type ServiceTemporalState } from '../operator/incidents';
import { assessmentOf } from '../evaluation/evaluate-fleet';
import { ageMs, type FleetEvaluator } from './fleet';
import { SharedRead, type Dated } from './shared-read';
import type { TemporalAccess } from './temporal';

export interface GateInputReaderDeps {
  fleet: FleetEvaluator;
  temporal: TemporalAccess;
  now: () => Date;
}

export class GateInputReader {
  private readonly states = new Map<string, SharedRead<ServiceTemporalState>>();
  /** Each service's last decision and the inputs it was made from (compared by identity). */
  private readonly decided = new Map<
    string,
    {
      catalog: Catalog;
      assessed: ServiceAssessment;
      state: ServiceTemporalState;
      revision: string | undefined;
      answer: GateAnswer;
    }
  >();

  constructor(
    private readonly deps: GateInputReaderDeps,
    /** The staleness bound of every input an answer uses. */
    readonly maxAgeMs: number,
  ) {}

  async answer(catalog: Catalog, service: string, revision?: string): Promise<GateAnswer> {
    const entry = catalogEntry(catalog, service);
    const { mode } = entry.governance;
    const now = this.deps.now();
    // Only a failure answers from nothing but the request.
    const base = () => ({
      service,
      evaluatedAt: now.toISOString(),
      dataAgeSeconds: 0,
      ...(revision ? { revision } : {}),
    });
    let state: Dated<ServiceTemporalState>;
    try {
      state = await this.temporalState(service);
    } catch (err) {
      return temporalFailure(base(), mode, err);
    }
    try {
      const evaluation = await this.deps.fleet.fresh(now, this.maxAgeMs, service);
      const assessed = assessmentOf(evaluation, service);
      if (!assessed) throw new Error(`the fleet evaluation has no entry for ${service}`);
      const oldest = Math.max(ageMs(evaluation, now), now.getTime() - state.at);
      const dataAgeSeconds = Math.max(0, oldest) / 1000;
      // The same inputs decide the same way: reuse the decision, only its age moves.
      const decided = this.decided.get(service);
      if (
        decided?.catalog === catalog &&
        decided.assessed === assessed &&
        decided.state === state.value &&
        decided.revision === revision
      )
        return { ...decided.answer, dataAgeSeconds };
      const answer = answerFromInputs(
        catalog,
        entry,
        { slos: assessed.slos, evaluatedAt: evaluation.evaluatedAt, state: state.value, dataAgeSeconds },
        revision,
      );
      this.decided.set(service, { catalog, assessed, state: state.value, revision, answer });
      return answer;
    } catch (err) {
      return prometheusFailure(base(), mode, err);
    }
  }

  private temporalState(service: string): Promise<Dated<ServiceTemporalState>> {
    let shared = this.states.get(service);
    if (!shared) {
      shared = new SharedRead(
        () => this.deps.temporal.withDeadline((client) => serviceTemporalState(client, service)),
        { maxAgeMs: this.maxAgeMs, now: this.deps.now, refreshAhead: true },
      );
      this.states.set(service, shared);
    }
    return shared.get();
  }
}
