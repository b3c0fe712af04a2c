import { batchExpression } from '../../src/prometheus/batch';

describe('batched PromQL expression', () => {
  it('tags each query with its index and wraps it in sum() so it yields one series', () => {
    expect(batchExpression([{ id: 'a', expr: 'x' }])).toBe(
      'label_replace(sum(x), "safedeploy_query", "0", "", "")',
    );
  });

  it('joins queries with a balanced tree of `or`', () => {
    const expr = batchExpression(['a', 'b', 'c', 'd'].map((e) => ({ id: e, expr: e })));
    const tag = (e: string, i: number) => `label_replace(sum(${e}), "safedeploy_query", "${i}", "", "")`;
    expect(expr).toBe(`((${tag('a', 0)}) or (${tag('b', 1)})) or ((${tag('c', 2)}) or (${tag('d', 3)}))`);
  });

  it('keeps nesting logarithmic for a large fleet', () => {
    const queries = Array.from({ length: 2000 }, (_, i) => ({ id: String(i), expr: `q${i}` }));
    const expr = batchExpression(queries);
    let depth = 0;
    let max = 0;
    for (const ch of expr) {
      if (ch === '(') max = Math.max(max, ++depth);
      if (ch === ')') depth--;
    }
    expect(max).toBeLessThan(20);
    expect(expr.match(/safedeploy_query/g)).toHaveLength(2000);
  });
});
