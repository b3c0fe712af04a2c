// Structural policy: what a well-formed service still needs before the gate lets it through.
// Each case starts from the good checkout service and removes or changes one thing.
import type { PolicyViolation, Service } from '../../../src/catalog/model';
import { checkStructuralPolicy } from '../../../src/catalog/policy';
import { changed, goodDocument, serviceOf, type Doc } from './support';

interface Case {
  name: string;
  doc: Doc;
  violations: Pick<PolicyViolation, 'code' | 'message'>[];
}

const cases: Case[] = [
  { name: 'the good service meets the policy', doc: goodDocument(), violations: [] },
  {
    name: 'a service without an owner has no team to page',
    doc: changed('spec.owner', undefined),
    violations: [
      { code: 'missing-owner', message: 'no owner (spec.owner.team): incidents would reach no team' },
    ],
  },
  {
    name: 'a service with an empty SLO list gives the gate nothing to judge',
    doc: changed('spec.slos', []),
    violations: [
      { code: 'missing-slos', message: 'no SLO (spec.slos): the gate has nothing to judge a change against' },
    ],
  },
  {
    name: 'a service with an empty approver list cannot have a proposal approved',
    doc: changed('spec.approvers', []),
    violations: [
      {
        code: 'missing-approvers',
        message: 'no approvers (spec.approvers): nobody could approve a proposal',
      },
    ],
  },
  {
    name: 'a service without an approvers field is treated like an empty list',
    doc: changed('spec.approvers', undefined),
    violations: [
      {
        code: 'missing-approvers',
        message: 'no approvers (spec.approvers): nobody could approve a proposal',
      },
    ],
  },
  {
    name: 'a service without a rollback definition cannot be rolled back',
    doc: changed('spec.rollback', undefined),
    violations: [
      {
        code: 'missing-rollback',
        message: 'no rollback definition (spec.rollback): a rollback could not be proposed',
      },
    ],
  },
  {
    name: 'a rolling deployment is not a canary',
    doc: changed('spec.deployment.strategy', 'rolling'),
    violations: [
      {
        code: 'not-canary',
        message: 'deployment strategy is rolling; policy requires canary (spec.deployment.strategy)',
      },
    ],
  },
  {
    name: 'a blue-green deployment without a rollout is only reported as not canary',
    doc: changed('spec.deployment', { strategy: 'blueGreen' }),
    violations: [
      {
        code: 'not-canary',
        message: 'deployment strategy is blueGreen; policy requires canary (spec.deployment.strategy)',
      },
    ],
  },
  {
    name: 'a service without a deployment section is not a canary',
    doc: changed('spec.deployment', undefined),
    violations: [
      { code: 'not-canary', message: 'no deployment (spec.deployment): policy requires strategy canary' },
    ],
  },
  {
    name: 'a canary without its rollout cannot have promotion blocked or resumed',
    doc: changed('spec.deployment.rollout', undefined),
    violations: [
      {
        code: 'missing-rollout',
        message:
          'canary without a rollout (spec.deployment.rollout): promotion could not be blocked or resumed',
      },
    ],
  },
];

describe('structural policy', () => {
  it.each(cases)('$name', ({ doc, violations }) => {
    const expected = violations.map((v) => ({ service: 'checkout', ...v }));
    expect(checkStructuralPolicy([serviceOf(doc)])).toEqual(expected);
  });

  it('a bare service breaks every rule at once, in rule order, all named after the service', () => {
    const bare: Service = {
      name: 'bare',
      approvers: [],
      slos: [],
      governance: { freezeDuration: '24h', safetyMargin: 0.1, onNoData: 'deny', mode: 'enforce' },
      source: { file: 'bare.yaml', document: 1 },
    };
    const violations = checkStructuralPolicy([bare]);
    expect(violations.map((v) => v.code)).toEqual([
      'missing-owner',
      'missing-slos',
      'missing-approvers',
      'missing-rollback',
      'not-canary',
    ]);
    expect(new Set(violations.map((v) => v.service))).toEqual(new Set(['bare']));
  });

  it('violations keep the order of the services', () => {
    const first = serviceOf(changed('spec.owner', undefined));
    const second = { ...serviceOf(changed('spec.rollback', undefined)), name: 'search' };
    expect(checkStructuralPolicy([first, second]).map((v) => `${v.service}/${v.code}`)).toEqual([
      'checkout/missing-owner',
      'search/missing-rollback',
    ]);
  });
});
