// The full gate for one service, as the `gate` command and the HTTP gate answer it: SLOs from
// Prometheus plus freeze and incident state from Temporal. It fails closed: when either cannot be
// reached, the verdict it would give is deny with a reason saying which (and the service's
// enforcement mode still applies: shadow answers allow, advise holds).
import type { Client } from '@temporalio/client';
import { serviceNamed } from '../catalog/lookup';
import type { Catalog, EnforcementMode, Service } from '../catalog/model';
import { assessService, decideService, type ServiceAssessment } from '../evaluation/assess-service';
import { failClosed as failClosedDecision, type GateReason, type Verdict } from '../policy/gate';
import type { PrometheusClient } from '../prometheus/client';
import { sloKey } from '../prometheus/measure';
import { measureFromSources } from '../prometheus/sources';
import { serviceTemporalState, type ServiceTemporalState } from './incidents';
import { errorMessage } from '../errors';

export interface GateAnswer {
  service: string;
  /** What the pipeline acts on: wouldBe after the enforcement mode. */
  verdict: Verdict;
  /** What enforce would have answered. */
  wouldBe: Verdict;
  mode: EnforcementMode;
  reasons: GateReason[];
  /** When the SLOs were evaluated (the API gate reuses a shared evaluation within its staleness bound). */
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

export function catalogEntry(catalog: Catalog, service: string): Service {
  const entry = serviceNamed(catalog, service);
  if (!entry) throw new UnknownServiceError(service);
  return entry;
}

type AnswerBase = Pick<GateAnswer, 'service' | 'evaluatedAt' | 'revision' | 'dataAgeSeconds'>;

export async function answerGate(
  deps: { catalog: Catalog; prometheus: PrometheusClient; temporal: Client },
  service: string,
  at: Date,
  revision?: string,
): Promise<GateAnswer> {
  const entry = catalogEntry(deps.catalog, service);
  const base = {
    service,
    evaluatedAt: at.toISOString(),
    dataAgeSeconds: 0,
    ...(revision ? { revision } : {}),
  };
  const { mode } = entry.governance;
  let state: ServiceTemporalState;
  try {
    state = await serviceTemporalState(deps.temporal, service);
  } catch (err) {
    return temporalFailure(base, mode, err);
  }
  try {
    const measured = await measureFromSources(deps.prometheus, [entry], at);
    const assessment = assessService(
      entry,
      (slo) => measured.slos.get(sloKey(service, slo)),
      deps.catalog.violations,
      state,
    );
    return { ...base, ...assessment.gate, severity: assessment.severity, slos: assessment.slos };
  } catch (err) {
    return prometheusFailure(base, mode, err);
  }
}

/** What the gate reads, possibly shared and cached by the caller (the HTTP API does). */
export interface GateInputs {
  /** The service's SLOs as a fleet evaluation assessed them, and when. */
  slos: ServiceAssessment['slos'];
  evaluatedAt: string;
  state: ServiceTemporalState;
  dataAgeSeconds: number;
}

/** The answer from inputs read elsewhere: the same pure decision answerGate makes. */
export function answerFromInputs(
  catalog: Catalog,
  entry: Service,
  inputs: GateInputs,
  revision?: string,
): GateAnswer {
  const assessment = decideService(entry, inputs.slos, catalog.violations, inputs.state);
  return {
    service: entry.name,
    evaluatedAt: inputs.evaluatedAt,
    dataAgeSeconds: inputs.dataAgeSeconds,
    ...(revision ? { revision } : {}),
    ...assessment.gate,
    severity: assessment.severity,
    slos: assessment.slos,
  };
}

export function temporalFailure(base: AnswerBase, mode: EnforcementMode, err: unknown): GateAnswer {
  return failClosed(
    base,
    mode,
    'temporal-unavailable',
    `Temporal cannot be reached (${errorMessage(err)}); SafeDeploy fails closed`,
  );
}

export function prometheusFailure(base: AnswerBase, mode: EnforcementMode, err: unknown): GateAnswer {
  return failClosed(base, mode, 'prometheus-unavailable', `${errorMessage(err)}; SafeDeploy fails closed`);
}

/** The answer when a dependency could not be read; exported for the CLI, which connects first. */
export function failClosed(
  base: AnswerBase,
  mode: Service['governance']['mode'],
  code: GateReason['code'],
  text: string,
): GateAnswer {
  return { ...base, ...failClosedDecision(mode, { code, message: text }) };
}
