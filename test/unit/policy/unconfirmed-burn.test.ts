import fc from 'fast-check';
import { DEFAULT_GOVERNANCE } from '../../../src/catalog/model';
import { decideGate } from '../../../src/policy/gate';
import { unconfirmedBurns } from '../../../src/policy/unconfirmed-burn';
import { classify, type SloAssessment } from '../../../src/slo/assess';
import { ALERT_WINDOWS, BURN_RATE_RULES, burnRateFactor, type AlertWindow } from '../../../src/slo/windows';

type Rates = Record<AlertWindow, number | null>;
const QUIET: Rates = { '5m': 0.5, '30m': 0.5, '1h': 0.5, '2h': 0.5, '6h': 0.5, '1d': 0.5, '3d': 0.5 };

/** An SLO of 99.9 % over 30d (fast factors 14.4 and 6, slow 3 and 1), classified as the engine would. */
function sloWith(rates: Partial<Rates>, remaining = 0.8): SloAssessment {
  const burnRates = { ...QUIET, ...rates };
  return {
    name: 'availability',
    objective: 99.9,
    window: '30d',
    severity: classify('30d', 1000, remaining, burnRates),
    errorBudget: { remaining },
    burnRates,
    errorRatios: {},
  };
}

const pairs = (slo: SloAssessment) => unconfirmedBurns(slo).map((b) => `${b.short}/${b.long}`);

describe('unconfirmed burns', () => {
  it.each<[string, Partial<Rates>, string[]]>([
    ['a quiet SLO has none', {}, []],
    ['5m above 14.4x while 1h is below it is the fast pair, unconfirmed', { '5m': 25, '1h': 3 }, ['5m/1h']],
    ['5m exactly at the factor does not exceed it', { '5m': 14.4, '1h': 3 }, []],
    ['a confirmed fast pair is a fast burn, not unconfirmed', { '5m': 25, '1h': 20 }, []],
    ['30m above 6x while 6h is below it', { '30m': 8, '6h': 0.9 }, ['30m/6h']],
    ['2h above 3x while 1d is below it', { '2h': 4, '1d': 1 }, ['2h/1d']],
    ['6h above 1x while 3d is below it', { '6h': 1.5, '3d': 0.5 }, ['6h/3d']],
    ['a long window with no data does not confirm', { '5m': 25, '1h': null }, ['5m/1h']],
    ['a short window with no data is not a burn', { '5m': null, '1h': 3 }, []],
    ['a fading burn (long high, short low) is not unconfirmed', { '5m': 1, '1h': 20 }, []],
  ])('%s', (_name, rates, expected) => {
    expect(pairs(sloWith(rates))).toEqual(expected);
  });

  it('a slow burn already holding only adds an unconfirmed fast pair, not its own pairs', () => {
    const slo = sloWith({ '5m': 20, '1h': 4, '2h': 4, '6h': 4, '1d': 4, '3d': 0.5 });
    expect(slo.severity).toBe('slow-burn');
    expect(pairs(slo)).toEqual(['5m/1h']);
  });

  it('a fast burn already denying adds nothing', () => {
    expect(pairs(sloWith({ '5m': 20, '1h': 20, '30m': 20, '6h': 2 }))).toEqual([]);
  });

  it('the gate holds with burning-unconfirmed, naming the pair and both burn rates', () => {
    const decision = decideGate({
      service: 'checkout',
      governance: DEFAULT_GOVERNANCE,
      slos: [sloWith({ '5m': 25, '1h': 3 })],
      violations: [],
    });
    expect(decision.verdict).toBe('hold');
    expect(decision.reasons).toEqual([
      {
        code: 'burning-unconfirmed',
        slo: 'availability',
        message:
          'SLO availability (99.9% over 30d): burning, not yet confirmed: 5m 25.0x exceeds 14.4x while 1h is 3.0x ' +
          '(fast-burn pair 5m/1h); held until 1h confirms or the burn fades',
        burn: {
          severity: 'fast-burn',
          short: '5m',
          long: '1h',
          factor: 14.4,
          shortBurnRate: 25,
          longBurnRate: 3,
        },
      },
    ]);
  });

  const rate = fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: null });
  const rates = fc.record(
    Object.fromEntries(ALERT_WINDOWS.map((w) => [w, rate])) as Record<
      AlertWindow,
      fc.Arbitrary<number | null>
    >,
  );

  it('every unconfirmed pair has its short window above its factor and its long window not', () => {
    fc.assert(
      fc.property(rates, (r) => {
        for (const b of unconfirmedBurns(sloWith(r))) {
          const rule = BURN_RATE_RULES.find((x) => x.short === b.short && x.long === b.long)!;
          expect(b.factor).toBeCloseTo(burnRateFactor(rule, '30d'), 9);
          expect(b.shortBurnRate).toBeGreaterThan(b.factor);
          expect(b.longBurnRate === null || b.longBurnRate <= b.factor * (1 + 1e-9)).toBe(true);
        }
      }),
    );
  });

  it('the gate never allows an SLO with an unconfirmed pair, and incidents never see one', () => {
    fc.assert(
      fc.property(rates, (r) => {
        const slo = sloWith(r);
        if (unconfirmedBurns(slo).length === 0) return;
        const decision = decideGate({
          service: 's',
          governance: DEFAULT_GOVERNANCE,
          slos: [slo],
          violations: [],
        });
        expect(decision.wouldBe).not.toBe('allow');
        expect(decision.reasons.some((x) => x.code === 'burning-unconfirmed')).toBe(true);
      }),
    );
  });
});
