import fc from 'fast-check';
import { DEFAULT_GOVERNANCE, ENFORCEMENT_MODES, type EnforcementMode } from '../../../src/catalog/model';
import { decideGate, failClosed, type Verdict } from '../../../src/policy/gate';
import { applyMode } from '../../../src/policy/modes';
import type { SloAssessment } from '../../../src/slo/assess';
import type { Severity } from '../../../src/slo/severity';

const VERDICTS: Verdict[] = ['allow', 'hold', 'deny'];

function slo(severity: Severity): SloAssessment {
  const rates = { '5m': 1, '30m': 1, '1h': 1, '2h': 1, '6h': 1, '1d': 1, '3d': 1 };
  return {
    name: 'availability',
    objective: 99.9,
    window: '30d',
    severity,
    errorBudget: { remaining: 0.8 },
    burnRates: rates,
    errorRatios: {},
  };
}

const decide = (mode: EnforcementMode, severity: Severity) =>
  decideGate({
    service: 'checkout',
    governance: { ...DEFAULT_GOVERNANCE, mode },
    slos: [slo(severity)],
    violations: [],
  });

describe('enforcement modes', () => {
  it.each<[string, EnforcementMode, Verdict, Verdict]>([
    ['shadow answers allow for an allow', 'shadow', 'allow', 'allow'],
    ['shadow answers allow for a hold', 'shadow', 'hold', 'allow'],
    ['shadow answers allow for a deny', 'shadow', 'deny', 'allow'],
    ['advise answers allow for an allow', 'advise', 'allow', 'allow'],
    ['advise answers hold for a hold', 'advise', 'hold', 'hold'],
    ['advise turns a deny into a hold, for a human to decide', 'advise', 'deny', 'hold'],
    ['enforce answers allow for an allow', 'enforce', 'allow', 'allow'],
    ['enforce answers hold for a hold', 'enforce', 'hold', 'hold'],
    ['enforce answers deny for a deny', 'enforce', 'deny', 'deny'],
  ])('%s', (_name, mode, wouldBe, answered) => {
    expect(applyMode(mode, wouldBe)).toBe(answered);
  });

  it.each<[string, EnforcementMode, Severity, Verdict, Verdict]>([
    ['a fast burn in shadow is allowed and would be denied', 'shadow', 'fast-burn', 'allow', 'deny'],
    ['a fast burn in advise is held and would be denied', 'advise', 'fast-burn', 'hold', 'deny'],
    ['a fast burn in enforce is denied', 'enforce', 'fast-burn', 'deny', 'deny'],
    ['a slow burn in shadow is allowed and would be held', 'shadow', 'slow-burn', 'allow', 'hold'],
    ['a healthy service is allowed in every mode', 'advise', 'normal', 'allow', 'allow'],
  ])('%s', (_name, mode, severity, verdict, wouldBe) => {
    const decision = decide(mode, severity);
    expect({ verdict: decision.verdict, wouldBe: decision.wouldBe, mode: decision.mode }).toEqual({
      verdict,
      wouldBe,
      mode,
    });
  });

  it('the reasons are the same in every mode: the mode changes the answer, not the explanation', () => {
    const reasons = ENFORCEMENT_MODES.map((mode) => decide(mode, 'fast-burn').reasons);
    expect(reasons[0]).toEqual(reasons[1]);
    expect(reasons[1]).toEqual(reasons[2]);
  });

  it('a fail-closed answer is a would-be deny that the mode still softens', () => {
    const reason = { code: 'temporal-unavailable' as const, message: 'down' };
    expect(failClosed('shadow', reason)).toMatchObject({ verdict: 'allow', wouldBe: 'deny', mode: 'shadow' });
    expect(failClosed('advise', reason)).toMatchObject({ verdict: 'hold', wouldBe: 'deny' });
    expect(failClosed('enforce', reason)).toMatchObject({ verdict: 'deny', wouldBe: 'deny' });
  });

  it('no mode answers more strictly than enforce, and enforce answers exactly what it would', () => {
    const rank = (v: Verdict) => VERDICTS.indexOf(v);
    fc.assert(
      fc.property(fc.constantFrom(...ENFORCEMENT_MODES), fc.constantFrom(...VERDICTS), (mode, wouldBe) => {
        const answered = applyMode(mode, wouldBe);
        expect(rank(answered)).toBeLessThanOrEqual(rank(wouldBe));
        if (mode === 'enforce') expect(answered).toBe(wouldBe);
        if (mode === 'shadow') expect(answered).toBe('allow');
        if (mode === 'advise') expect(answered).not.toBe('deny');
      }),
    );
  });
});
