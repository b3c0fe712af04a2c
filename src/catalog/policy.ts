// The structural policy: what every service must declare before SafeDeploy lets its changes through.
// A well-formed service may still break it; the gate then denies (docs/ARCHITECTURE.md invariant 2).
// Pure: rules are data, each returns a message when the service breaks it.
import type { PolicyViolation, Service } from './model';

interface StructuralRule {
  code: PolicyViolation['code'];
  /** Why the service breaks the rule, or undefined when it does not. */
  check(service: Service): string | undefined;
}

export const STRUCTURAL_RULES: readonly StructuralRule[] = [
  {
    code: 'missing-owner',
    check: (s) => (s.owner ? undefined : 'no owner (spec.owner.team): incidents would reach no team'),
  },
  {
    code: 'missing-slos',
    check: (s) =>
      s.slos.length > 0 ? undefined : 'no SLO (spec.slos): the gate has nothing to judge a change against',
  },
  {
    code: 'missing-approvers',
    check: (s) =>
      s.approvers.length > 0 ? undefined : 'no approvers (spec.approvers): nobody could approve a proposal',
  },
  {
    code: 'missing-rollback',
    check: (s) =>
      s.rollback ? undefined : 'no rollback definition (spec.rollback): a rollback could not be proposed',
  },
  {
    code: 'not-canary',
    check: ({ deployment }) => {
      if (!deployment) return 'no deployment (spec.deployment): policy requires strategy canary';
      if (deployment.strategy !== 'canary') {
        return `deployment strategy is ${deployment.strategy}; policy requires canary (spec.deployment.strategy)`;
      }
      return undefined;
    },
  },
  {
    code: 'missing-rollout',
    // Without the Rollout, promotion cannot be paused or resumed by a pull request.
    check: ({ deployment }) =>
      deployment?.strategy === 'canary' && !deployment.rollout
        ? 'canary without a rollout (spec.deployment.rollout): promotion could not be blocked or resumed'
        : undefined,
  },
];

export function checkStructuralPolicy(services: readonly Service[]): PolicyViolation[] {
  return services.flatMap(serviceViolations);
}

export function serviceViolations(service: Service): PolicyViolation[] {
  return STRUCTURAL_RULES.flatMap((rule) => {
    const message = rule.check(service);
    return message === undefined ? [] : [{ service: service.name, code: rule.code, message }];
  });
}
