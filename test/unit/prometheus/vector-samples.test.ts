import { vectorSamples } from '../../../src/prometheus/response';

describe('a vector result, checked without zod', () => {
  it('reads labels and values, refusing values Prometheus never sends per sample', () => {
    expect(
      vectorSamples([
        { metric: { service: 'checkout' }, value: [1700000000.5, '0.25'] },
        { metric: {}, value: [1700000000, 'NaN'] },
        { metric: { a: 'b' }, value: [1700000000, '0x10'] },
      ]),
    ).toMatchObject([
      { labels: { service: 'checkout' }, value: 0.25 },
      { labels: {}, value: null },
      { labels: { a: 'b' }, value: null, invalid: /not a number/ },
    ]);
  });

  it.each([
    ['not an array', { a: 1 }, 'data.result: expected an array'],
    ['a null sample', [null], 'data.result[0]: expected an object'],
    ['a missing metric', [{ value: [1, '1'] }], 'data.result[0].metric'],
    ['a label that is not a string', [{ metric: { a: 1 }, value: [1, '1'] }], 'data.result[0].metric'],
    ['labels as an array', [{ metric: ['a'], value: [1, '1'] }], 'data.result[0].metric'],
    ['a value as a number', [{ metric: {}, value: [1, 1] }], 'data.result[0].value'],
    ['a value with a third element', [{ metric: {}, value: [1, '1', 2] }], 'data.result[0].value'],
    ['a time as a string', [{ metric: {}, value: ['1', '1'] }], 'data.result[0].value'],
    ['the second sample broken', [{ metric: {}, value: [1, '1'] }, { metric: {} }], 'data.result[1].value'],
  ])('refuses %s with where it is', (_case, result, problem) => {
    const answer = vectorSamples(result);
    expect(typeof answer).toBe('string');
    expect(answer).toContain(problem);
  });
});
