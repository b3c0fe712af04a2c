import fc from 'fast-check';
import { budgetSpent, findOnset, onsetQueryPlan, type RatioPoint } from '../../../src/slo/onset';

const series = (ratios: (number | null)[], from = 1000, step = 5): RatioPoint[] =>
  ratios.map((ratio, i) => ({ at: from + i * step, ratio }));

describe('findOnset', () => {
  it.each([
    ['no burn', [0, 0, 0, 0], { found: false }],
    ['a burn from the third sample', [0, 0, 0.5, 1, 1], { found: true, at: 1010, atWindowStart: false }],
    ['the newest of two burns', [0.5, 0, 0, 1, 1, 0, 1], { found: true, at: 1030, atWindowStart: false }],
    ['gaps neither start nor end a run', [0, 1, null, 1], { found: true, at: 1005, atWindowStart: false }],
    [
      'at the threshold is not elevated',
      [0.001, 0.001, 0.002],
      { found: true, at: 1010, atWindowStart: false },
    ],
    ['elevated from the first sample', [1, 1, 1], { found: true, at: 1000, atWindowStart: true }],
    [
      'recovered at the end still finds the burn',
      [0, 1, 1, 0],
      { found: true, at: 1005, atWindowStart: false },
    ],
  ])('%s', (_name, ratios, expected) => {
    expect(findOnset(series(ratios as (number | null)[]), 0.001)).toEqual(expected);
  });

  it('never returns a sample before the first elevated one, and every sample from the onset to the last elevated one is elevated', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), { maxLength: 60 }),
        (ratios) => {
          const points = series(ratios);
          const onset = findOnset(points, 0.01);
          const elevated = points.filter((p) => p.ratio !== null && p.ratio > 0.01);
          if (elevated.length === 0) return !onset.found;
          if (!onset.found) return false;
          const last = elevated[elevated.length - 1]!.at;
          const run = points.filter((p) => p.ratio !== null && p.at >= onset.at && p.at <= last);
          const before = points.filter((p) => p.ratio !== null && p.at < onset.at);
          return (
            run.every((p) => p.ratio! > 0.01) &&
            onset.atWindowStart === (before.length === 0) &&
            (before.length === 0 || before[before.length - 1]!.ratio! <= 0.01)
          );
        },
      ),
    );
  });
});

describe('onsetQueryPlan', () => {
  const detected = new Date('2026-12-01T12:00:00Z');
  it.each([
    ['fast-burn', 86_400, 3_600, 5],
    ['slow-burn', 86_400, 86_400, 120],
    ['fast-burn', 1_800, 1_800, 3],
  ] as const)('%s with a %is look-back reads %is at %is steps', (severity, lookback, window, step) => {
    const plan = onsetQueryPlan(severity, detected, lookback, new Date(detected.getTime() + 3_600_000));
    expect(plan.stepSeconds).toBe(step);
    expect(detected.getTime() - plan.start.getTime()).toBe(window * 1000);
    expect(plan.end.getTime()).toBe(detected.getTime() + step * 1000);
  });

  it('never ends after now', () => {
    const plan = onsetQueryPlan('fast-burn', detected, 86_400, detected);
    expect(plan.end).toEqual(detected);
  });
});

describe('budgetSpent', () => {
  it('is the burn rate times the share of the SLO window', () => {
    // 100 % errors for 64 s against 99.9 % over 30 days: 1000 × 64 / 2 592 000.
    expect(budgetSpent(1, 99.9, 64, 30 * 86_400)).toBeCloseTo(0.0247, 4);
    expect(budgetSpent(0, 99.9, 600, 30 * 86_400)).toBe(0);
  });
});
