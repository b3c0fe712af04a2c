import fc from 'fast-check';
import {
  BURN_RATE_RULES,
  burnRateFactor,
  durationProblem,
  durationSeconds,
  formatDuration,
  isDuration,
} from '../../../src/slo/windows';

describe('burn-rate factors', () => {
  // SRE Workbook, ch. 5, table 5-8: 2 % in 1h, 5 % in 6h, 10 % in 1d, 10 % in 3d of a 30-day budget.
  it.each([
    ['30d', [14.4, 6, 3, 1]],
    ['28d', [13.44, 5.6, 2.8, 0.9333]],
    ['7d', [3.36, 1.4, 0.7, 0.2333]],
    ['90d', [43.2, 18, 9, 3]],
  ])('for a %s SLO window the four thresholds are %j', (window, expected) => {
    const factors = BURN_RATE_RULES.map((rule) => burnRateFactor(rule, window));
    factors.forEach((f, i) => expect(f).toBeCloseTo(expected[i]!, 3));
  });
});

describe('Prometheus durations', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['30d', 2_592_000],
    ['1w', 604_800],
    ['500ms', 0.5],
  ])('%s is %d seconds', (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
    expect(isDuration(text, { subSecond: true })).toBe(true);
  });

  it.each(['', '30', 'd', '1.5h', '-5m', '5 m', '0s', '30days', '1h1h', '30m1h', '1000y', '500ms', ' 5m'])(
    '"%s" is not a duration',
    (text) => {
      expect(isDuration(text)).toBe(false);
    },
  );

  it('allows sub-second durations only where asked to', () => {
    expect(durationProblem('500ms', { subSecond: true })).toBeNull();
    expect(durationProblem('1s500ms', { subSecond: true })).toBeNull();
    expect(durationProblem('500ms')).toBe('must be whole seconds (no ms here)');
  });

  it('names the bounds it enforces', () => {
    expect(durationProblem('2y')).toBe('must be at most 1y');
    expect(durationProblem('10s', { minSeconds: 60 })).toBe('must be at least 1m');
    expect(formatDuration(5400)).toBe('1h30m');
  });

  it('reads back every duration it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 86400 }), (seconds) => {
        const text = formatDuration(seconds);
        expect(durationProblem(text)).toBeNull();
        expect(durationSeconds(text)).toBe(seconds);
      }),
    );
  });
});
