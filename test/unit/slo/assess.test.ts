import type { Slo } from '../../../src/catalog/model';
import { assessSlo, type RawMeasurement } from '../../../src/slo/assess';
import { budgetRemaining, burnRate, errorBudget, errorRatio } from '../../../src/slo/budget';
import { ALERT_WINDOWS } from '../../../src/slo/windows';

const slo: Slo = {
  name: 'availability',
  objective: 99.9,
  window: '30d',
  sli: { events: { errorQuery: 'e[{{.window}}]', totalQuery: 't[{{.window}}]' } },
};

/** A measurement with 1000 req/s in every window and the given error ratio per window. */
function measured(ratios: Partial<Record<string, number | null>>, base = 0.0001): RawMeasurement {
  const errors: Record<string, number | null> = {};
  const totals: Record<string, number | null> = {};
  for (const w of [...ALERT_WINDOWS, '30d']) {
    const ratio = w in ratios ? ratios[w]! : base;
    totals[w] = 1000;
    errors[w] = ratio === null ? null : ratio * 1000;
  }
  return { errors, totals };
}

describe('error budget arithmetic', () => {
  it('a 99.9 % objective has a 0.1 % budget', () => expect(errorBudget(99.9)).toBeCloseTo(0.001, 12));
  it('zero traffic (0/0) is no data, never zero errors', () => expect(errorRatio(0, 0)).toBeNull());
  it('an absent error series is no data, not zero errors', () => expect(errorRatio(null, 10)).toBeNull());
  it('an absent total series is no data', () => expect(errorRatio(3, null)).toBeNull());
  it('NaN is no data', () => expect(errorRatio(Number.NaN, 10)).toBeNull());
  it('a 1.44 % error ratio burns a 99.9 % budget 14.4 times', () =>
    expect(burnRate(0.0144, 99.9)).toBeCloseTo(14.4, 9));
  it('spending 0.058 % of a 0.1 % budget leaves 42 %', () =>
    expect(budgetRemaining(0.00058, 99.9)).toBeCloseTo(0.42, 9));
  it('an overspent budget goes negative', () => expect(budgetRemaining(0.002, 99.9)).toBeCloseTo(-1, 9));
});

describe('SLO severity (first match wins)', () => {
  it.each<[string, Partial<Record<string, number | null>>, string]>([
    ['a healthy service is normal', {}, 'normal'],
    ['burning 15x over both 1h and 5m is fast-burn', { '1h': 0.015, '5m': 0.015 }, 'fast-burn'],
    ['burning 15x over 1h while 5m has recovered is not fast-burn', { '1h': 0.015, '5m': 0.0001 }, 'normal'],
    ['burning exactly 14.4x is not above the threshold', { '1h': 0.0144, '5m': 0.0144 }, 'normal'],
    ['burning 7x over both 6h and 30m is fast-burn', { '6h': 0.007, '30m': 0.007 }, 'fast-burn'],
    ['burning 4x over both 1d and 2h is slow-burn', { '1d': 0.004, '2h': 0.004 }, 'slow-burn'],
    ['burning 2x over both 3d and 6h is slow-burn', { '3d': 0.002, '6h': 0.002 }, 'slow-burn'],
    ['burning 2x over 3d with a clean 6h is normal', { '3d': 0.002, '6h': 0.0001 }, 'normal'],
    [
      'an outage that ended hours ago leaves long windows hot and is slow-burn',
      { '3d': 0.003, '1d': 0.004, '6h': 0.005, '2h': 0, '1h': 0, '30m': 0, '5m': 0 },
      'slow-burn',
    ],
    [
      'a spent budget is exhausted even when recent traffic is clean',
      { '30d': 0.0012, '5m': 0, '1h': 0 },
      'exhausted',
    ],
    ['exhausted wins over fast-burn', { '30d': 0.0011, '1h': 0.05, '5m': 0.05 }, 'exhausted'],
    ['a budget spent to exactly zero is exhausted', { '30d': 0.001 }, 'exhausted'],
    ['an absent short window never makes a pair fire', { '1h': 0.05, '5m': null }, 'normal'],
  ])('%s', (_name, ratios, expected) => {
    expect(assessSlo(slo, measured(ratios)).severity).toBe(expected);
  });

  it('no total series over the SLO window is no-data, whatever else burns', () => {
    const m = measured({ '1h': 0.05, '5m': 0.05 });
    m.totals['30d'] = null;
    const a = assessSlo(slo, m);
    expect(a.severity).toBe('no-data');
    expect(a.errorBudget.remaining).toBeNull();
    expect(a.errorRatios['30d']).toBeNull();
  });

  it('reports burn rates and ratios per window, null where there is no data', () => {
    const m = measured({ '5m': 0.021, '1h': null });
    const a = assessSlo(slo, m);
    expect(a.burnRates['5m']).toBeCloseTo(21, 9);
    expect(a.burnRates['1h']).toBeNull();
    expect(a.errorRatios['1h']).toBeNull();
    expect(Object.keys(a.errorRatios)).toEqual([...ALERT_WINDOWS, '30d']);
    expect(Object.keys(a.burnRates)).toEqual([...ALERT_WINDOWS]);
  });

  it('scales thresholds for a 7-day window (F1 = 3.36)', () => {
    const weekly = { ...slo, window: '7d' };
    const m = measured({ '1h': 0.004, '5m': 0.004 });
    m.errors['7d'] = 0.1;
    m.totals['7d'] = 1000;
    expect(assessSlo(weekly, m).severity).toBe('fast-burn');
    expect(assessSlo(slo, measured({ '1h': 0.004, '5m': 0.004 })).severity).toBe('normal');
  });

  it.each([
    [99, 0.15, 'fast-burn'],
    [99, 0.1, 'normal'],
    [99.99, 0.0015, 'fast-burn'],
    [99.99, 0.001, 'normal'],
  ])('at objective %d a %d error ratio over 1h and 5m is %s', (objective, ratio, expected) => {
    const s = { ...slo, objective };
    const m = measured({ '1h': ratio, '5m': ratio }, 0);
    expect(assessSlo(s, m).severity).toBe(expected);
  });
});
