// The full gate for one service, as the `gate` command and the HTTP gate answer it: SLOs from
// Prometheus plus freeze and incident state from Temporal. It fails closed: when either cannot be
// reached, the verdict it would give is deny with a reason saying which (and the service's
// enforcement mode still applies: shadow answers allow, advise holds).
import type { Client } from '@temporalio/client';
import type { Catalog, EnforcementMode, Service } from '../catalog/model';
import { assessService, type ServiceAssessment } from '../evaluation/assess-service';
import { failClosed as failClosedDecision, type GateReason, type Verdict } from '../policy/gate';
import type { PrometheusClient } from '../prometheus/client';
import { measureFleet, sloKey } from '../prometheus/measure';
import { serviceTemporalState, type ServiceTemporalState } from './incidents';

export interface GateAnswer {
  service: string;
  /** What the pipeline acts on: wouldBe after the enforcement mode. */
  verdict: Verdict;
  /** What enforce would have answered. */
  wouldBe: Verdict;
  mode: EnforcementMode;
  reasons: GateReason[];
  evaluatedAt: string;
  /** How old the data behind the answer was when it was given (0: read for this answer). */
  dataAgeSeconds?: number;
  revision?: string;
  severity?: ServiceAssessment['severity'];
  slos?: ServiceAssessment['slos'];
}

export class UnknownServiceError extends Error {
  constructor(readonly service: string) {
    super(`unknown service "${service}": not in the catalog`);
    this.name = 'UnknownServiceError';
  }
}

export async function answerGate(
  deps: { catalog: Catalog; prometheus: PrometheusClient; temporal: Client },
  service: string,
  at: Date,
  revision?: string,
): Promise<GateAnswer> {
  const entry = deps.catalog.services.find((s) => s.name === service);
  if (!entry) throw new UnknownServiceError(service);
  const base = { service, evaluatedAt: at.toISOString(), ...(revision ? { revision } : {}) };
  const { mode } = entry.governance;
  let state: ServiceTemporalState;
  try {
    state = await serviceTemporalState(deps.temporal, service);
  } catch (err) {
    return failClosed(
      base,
      mode,
      'temporal-unavailable',
      `Temporal cannot be reached (${message(err)}); SafeDeploy fails closed`,
    );
  }
  try {
    const measured = await measureFleet(deps.prometheus, [entry], at);
    const assessment = assessService(
      entry,
      (slo) => measured.slos.get(sloKey(service, slo)),
      deps.catalog.violations,
      state,
    );
    return {
      ...base,
      ...assessment.gate,
      severity: assessment.severity,
      slos: assessment.slos,
    };
  } catch (err) {
    return failClosed(base, mode, 'prometheus-unavailable', `${message(err)}; SafeDeploy fails closed`);
  }
}

/** The answer when a dependency could not be read; exported for the CLI, which connects first. */
export function failClosed(
  base: Pick<GateAnswer, 'service' | 'evaluatedAt' | 'revision'>,
  mode: Service['governance']['mode'],
  code: GateReason['code'],
  text: string,
): GateAnswer {
  return { ...base, ...failClosedDecision(mode, { code, message: text }) };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
