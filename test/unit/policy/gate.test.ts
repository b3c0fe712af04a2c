import fc from 'fast-check';
import { DEFAULT_GOVERNANCE, type Governance } from '../../../src/catalog/model';
import { decideGate, type GateInput } from '../../../src/policy/gate';
import type { SloAssessment } from '../../../src/slo/assess';
import { SEVERITIES, type Severity } from '../../../src/slo/severity';

function sloIn(severity: Severity, remaining: number | null = 0.8): SloAssessment {
  const rates = { '5m': 1, '30m': 1, '1h': 1, '2h': 1, '6h': 1, '1d': 1, '3d': 1 };
  return {
    name: 'availability',
    objective: 99.9,
    window: '30d',
    severity,
    errorBudget: { remaining },
    burnRates: rates,
    errorRatios: {},
  };
}

function input(overrides: Partial<GateInput> = {}, governance: Partial<Governance> = {}): GateInput {
  return {
    service: 'checkout',
    governance: { ...DEFAULT_GOVERNANCE, ...governance },
    slos: [sloIn('normal')],
    violations: [],
    ...overrides,
  };
}

describe('gate verdict (default policy)', () => {
  it.each<[string, Partial<GateInput>, Partial<Governance>, string, string[]]>([
    ['a healthy service is allowed', {}, {}, 'allow', []],
    ['an exhausted budget denies', { slos: [sloIn('exhausted', -0.2)] }, {}, 'deny', ['exhausted']],
    ['a fast burn denies', { slos: [sloIn('fast-burn')] }, {}, 'deny', ['fast-burn']],
    ['a slow burn holds', { slos: [sloIn('slow-burn')] }, {}, 'hold', ['slow-burn']],
    [
      'a budget below the safety margin holds',
      { slos: [sloIn('normal', 0.05)] },
      {},
      'hold',
      ['budget-below-margin'],
    ],
    ['a budget exactly at the margin is allowed', { slos: [sloIn('normal', 0.1)] }, {}, 'allow', []],
    ['no data denies by default', { slos: [sloIn('no-data', null)] }, {}, 'deny', ['no-data']],
    [
      'no data holds with onNoData: hold',
      { slos: [sloIn('no-data', null)] },
      { onNoData: 'hold' },
      'hold',
      ['no-data'],
    ],
    ['an active freeze denies', { freeze: { until: '2026-01-02T00:00:00Z' } }, {}, 'deny', ['freeze-active']],
    [
      'an active incident denies',
      { incident: { id: 'incident-checkout-1', state: 'investigating' } },
      {},
      'deny',
      ['incident-active'],
    ],
    [
      'a structural violation denies',
      {
        violations: [
          { service: 'checkout', code: 'not-canary', message: 'deployment.strategy must be canary' },
        ],
      },
      {},
      'deny',
      ['policy-violation'],
    ],
    [
      'deny reasons are listed before hold reasons',
      { slos: [sloIn('slow-burn', 0.05), sloIn('fast-burn')] },
      {},
      'deny',
      ['fast-burn', 'slow-burn', 'budget-below-margin'],
    ],
  ])('%s', (_name, overrides, governance, verdict, codes) => {
    const decision = decideGate(input(overrides, governance));
    expect(decision.verdict).toBe(verdict);
    expect(decision.reasons.map((r) => r.code)).toEqual(codes);
    for (const r of decision.reasons) expect(r.message.length).toBeGreaterThan(0);
  });

  it('allows exactly when there is no reason, denies exactly when a deny rule matched', () => {
    const denying = new Set(['exhausted', 'fast-burn']);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...SEVERITIES),
            fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: null }),
          ),
          { maxLength: 4 },
        ),
        fc.boolean(),
        fc.constantFrom<'deny' | 'hold'>('deny', 'hold'),
        (slos, frozen, onNoData) => {
          const d = decideGate(
            input(
              { slos: slos.map(([s, r]) => sloIn(s, r)), ...(frozen ? { freeze: { until: 'x' } } : {}) },
              { onNoData },
            ),
          );
          expect(d.verdict === 'allow').toBe(d.reasons.length === 0);
          const mustDeny =
            frozen || slos.some(([s]) => denying.has(s) || (s === 'no-data' && onNoData === 'deny'));
          expect(d.verdict === 'deny').toBe(mustDeny);
        },
      ),
    );
  });
});
