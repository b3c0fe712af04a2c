// The full gate for one service, as the `gate` command and the HTTP gate answer it: SLOs from
// Prometheus plus freeze and incident state from Temporal. It fails closed: when either cannot be
// reached, the verdict is deny with a reason saying which.
import type { Client } from '@temporalio/client';
import type { Catalog } from '../catalog/model';
import { assessService, type ServiceAssessment } from '../evaluation/assess-service';
import type { GateReason, Verdict } from '../policy/gate';
import type { PrometheusClient } from '../prometheus/client';
import { measureFleet, sloKey } from '../prometheus/measure';
import { serviceTemporalState, type ServiceTemporalState } from './incidents';

export interface GateAnswer {
  service: string;
  verdict: Verdict;
  reasons: GateReason[];
  evaluatedAt: string;
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
  let state: ServiceTemporalState;
  try {
    state = await serviceTemporalState(deps.temporal, service);
  } catch (err) {
    return failClosed(
      base,
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
      verdict: assessment.gate.verdict,
      reasons: assessment.gate.reasons,
      severity: assessment.severity,
      slos: assessment.slos,
    };
  } catch (err) {
    return failClosed(base, 'prometheus-unavailable', `${message(err)}; SafeDeploy fails closed`);
  }
}

function failClosed(
  base: Omit<GateAnswer, 'verdict' | 'reasons'>,
  code: GateReason['code'],
  text: string,
): GateAnswer {
  return { ...base, verdict: 'deny', reasons: [{ code, message: text }] };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
