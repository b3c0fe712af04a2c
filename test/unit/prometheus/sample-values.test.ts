// Sample values are read with Prometheus's own float grammar: a decimal, NaN, +Inf or -Inf. Anything
// else a server or proxy might answer is refused, never read as 0 (Number("") is 0, Number("0x10") 16).
import fc from 'fast-check';
import { parseSampleValue } from '../../../src/prometheus/response';

describe('Prometheus sample values', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['-2.5', -2.5],
    ['0.001', 0.001],
    ['1e+06', 1e6],
    ['1.5E-3', 0.0015],
    ['.5', 0.5],
  ])('reads %j as %d', (text, value) => expect(parseSampleValue(text)).toEqual({ value }));

  it.each(['NaN', '+Inf', '-Inf', '1e999'])('reads %j as no data', (text) =>
    expect(parseSampleValue(text)).toEqual({ value: null }),
  );

  it.each(['', ' ', ' 1', '1 ', '0x10', '1_000', 'Infinity', 'inf', 'nan', '+', '1e', '1.2.3', '١'])(
    'refuses %j',
    (text) => expect(parseSampleValue(text)).toHaveProperty('invalid'),
  );

  it('reads every float Prometheus can write back to the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = Object.is(x, -0) ? '-0' : String(x);
        expect(parseSampleValue(text)).toEqual({ value: x === 0 ? 0 : x });
      }),
    );
  });

  it('never turns a string it refuses into a number, and never reads a number from whitespace', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const parsed = parseSampleValue(text);
        if ('invalid' in parsed) return;
        expect(text.trim()).toBe(text);
        expect(text).not.toBe('');
        expect(parsed.value === null || Number.isFinite(parsed.value)).toBe(true);
        // `+ 0`: "-0" reads as 0.
        if (parsed.value !== null) expect(parsed.value).toBe(Number(text) + 0);
      }),
      { numRuns: 5000 },
    );
  });
});
