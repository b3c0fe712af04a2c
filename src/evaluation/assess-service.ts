// One service's decision: its SLO assessments, the worst severity and the gate verdict. Pure, and
// shared by `evaluate`, the fleet-evaluation workflow, the `gate` command and the HTTP gate.
import type { PolicyViolation, Service } from '../catalog/model';
import { decideGate, type GateDecision, type GateInput } from '../policy/gate';
import { assessSlo, type SloAssessment, type SloMeasurement } from '../slo/assess';
import { worstSeverity, type Severity } from '../slo/severity';

export interface ServiceAssessment {
  service: string;
  severity: Severity;
  gate: GateDecision;
  slos: SloAssessment[];
}

export interface ServiceState {
  freeze?: GateInput['freeze'];
  incident?: GateInput['incident'];
}

const NO_MEASUREMENT: SloMeasurement = { errors: {}, totals: {} };

export function assessService(
  service: Service,
  measurements: (sloName: string) => SloMeasurement | undefined,
  violations: PolicyViolation[],
  state: ServiceState = {},
): ServiceAssessment {
  const slos = service.slos.map((slo) => assessSlo(slo, measurements(slo.name) ?? NO_MEASUREMENT));
  return decideService(service, slos, violations, state);
}

/** The decision over SLOs already assessed, e.g. by a shared fleet evaluation the gate reuses. */
export function decideService(
  service: Service,
  slos: SloAssessment[],
  violations: PolicyViolation[],
  state: ServiceState = {},
): ServiceAssessment {
  const gate = decideGate({
    service: service.name,
    governance: service.governance,
    slos,
    violations: violations.filter((v) => v.service === service.name),
    ...state,
  });
  return { service: service.name, severity: worstSeverity(slos.map((s) => s.severity)), gate, slos };
}
