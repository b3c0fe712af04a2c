// What one fleet evaluation saw of one service, in the compact form that crosses workflow
// boundaries (activity results, signals). Healthy services carry no detail, so a large healthy
// fleet keeps workflow histories small.
import type { Governance, PolicyViolation, Rollback, RolloutRef, Service } from '../catalog/model';
import type { GateReason, Verdict } from '../policy/gate';
import type { Severity } from '../slo/severity';
import type { AlertWindow } from '../slo/windows';
import type { ServiceAssessment } from './assess-service';

export interface SloDigest {
  name: string;
  objective: number;
  window: string;
  severity: Severity;
  remaining: number | null;
  burnRates: Record<AlertWindow, number | null>;
}

/** What an incident or freeze needs to act on a service: who approves, where its rollout lives. */
export interface ServiceContext {
  approvers: string[];
  governance: Governance;
  rollback?: Rollback;
  rollout?: RolloutRef;
  owner?: { team: string; contact?: string };
}

export interface ServiceObservation {
  service: string;
  evaluatedAt: string;
  severity: Severity;
  /** What the gate answers, after the service's enforcement mode. */
  verdict: Verdict;
  /** What enforce would answer; present only when the mode changed the verdict. */
  wouldBe?: Verdict;
  violations: PolicyViolation['code'][];
  /** A canary of the service's Rollout is in progress (Argo Rollouts' rollout_info: Progressing or Paused). */
  canary?: boolean;
  /** Present unless the service is normal, allowed and without violations. */
  detail?: {
    reasons: GateReason[];
    slos: SloDigest[];
    violations: PolicyViolation[];
    context: ServiceContext;
  };
}

export function contextOf(service: Service): ServiceContext {
  return {
    approvers: service.approvers,
    governance: withoutSignerKeys(service.governance),
    ...(service.rollback ? { rollback: service.rollback } : {}),
    ...(service.deployment?.rollout ? { rollout: service.deployment.rollout } : {}),
    ...(service.owner ? { owner: service.owner } : {}),
  };
}

/**
 * The workflows need the approval policy, not the service's allowed_signers lines: the verifying
 * activity reads those from the catalog, so keys stay out of every observation in the histories.
 */
function withoutSignerKeys(governance: Governance): Governance {
  if (!governance.approvals?.allowedSigners) return governance;
  const { allowedSigners: _keys, ...approvals } = governance.approvals;
  return { ...governance, approvals };
}

export function observe(
  service: Service,
  assessment: ServiceAssessment,
  violations: PolicyViolation[],
  evaluatedAt: string,
): ServiceObservation {
  const own = violations.filter((v) => v.service === service.name);
  const observation: ServiceObservation = {
    service: service.name,
    evaluatedAt,
    severity: assessment.severity,
    verdict: assessment.gate.verdict,
    ...(assessment.gate.wouldBe !== assessment.gate.verdict ? { wouldBe: assessment.gate.wouldBe } : {}),
    violations: own.map((v) => v.code).sort(),
  };
  if (assessment.severity === 'normal' && own.length === 0 && assessment.gate.wouldBe === 'allow')
    return observation;
  return {
    ...observation,
    detail: {
      reasons: assessment.gate.reasons,
      slos: assessment.slos.map((s) => ({
        name: s.name,
        objective: s.objective,
        window: s.window,
        severity: s.severity,
        remaining: s.errorBudget.remaining,
        burnRates: s.burnRates,
      })),
      violations: own,
      context: contextOf(service),
    },
  };
}

/** The observation of a service found normal with no violations (what a snapshot lists by name). */
export function normalObservation(service: string, evaluatedAt: string): ServiceObservation {
  return { service, evaluatedAt, severity: 'normal', verdict: 'allow', violations: [] };
}
