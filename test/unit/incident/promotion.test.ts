import type { ServiceObservation } from '../../../src/evaluation/observation';
import { promotionMayBeProposed } from '../../../src/incident/promotion';
import type { GateReason } from '../../../src/policy/gate';

function observed(
  verdict: ServiceObservation['verdict'],
  codes: GateReason['code'][] = [],
): ServiceObservation {
  const base: ServiceObservation = {
    service: 'checkout',
    evaluatedAt: '2026-12-01T00:00:00.000Z',
    severity: 'normal',
    verdict,
    violations: [],
  };
  if (codes.length === 0) return base;
  return {
    ...base,
    detail: {
      reasons: codes.map((code) => ({ code, message: code })),
      slos: [],
      violations: [],
      context: {
        approvers: [],
        governance: { freezeDuration: '24h', safetyMargin: 0.1, onNoData: 'deny', mode: 'enforce' },
      },
    },
  };
}

describe('proposing to resume a paused canary after resolution', () => {
  it.each<[string, ServiceObservation | undefined, boolean]>([
    ['nothing observed yet: no', undefined, false],
    ['the gate allows: yes', observed('allow'), true],
    [
      'the gate holds only for an unconfirmed burn: yes (the canary asks the gate again)',
      observed('hold', ['burning-unconfirmed']),
      true,
    ],
    ['the gate holds for a slow burn too: no', observed('hold', ['burning-unconfirmed', 'slow-burn']), false],
    ['the gate holds below the safety margin: no', observed('hold', ['budget-below-margin']), false],
    ['the gate denies: no', observed('deny', ['fast-burn']), false],
  ])('%s', (_name, latest, expected) => {
    expect(promotionMayBeProposed(latest)).toBe(expected);
  });
});
