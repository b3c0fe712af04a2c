// Batch isolation: catalog queries are untrusted text spliced into one batched request. A query that
// is not exactly one PromQL expression is refused on its own, and a batch whose parsed tree is not the
// shape it was built to have is never sent, so no query's text can reach another query's tag.
import fc from 'fast-check';
import { assertBatchShape, BatchShapeError } from '../../../src/prometheus/batch-shape';
import { batchExpression, buildBatch, queryBatch } from '../../../src/prometheus/batch';
import { PrometheusClient } from '../../../src/prometheus/client';
import { promqlProblem } from '../../../src/prometheus/promql';

const TAG = 'safedeploy_query';
const victim = { id: 'victim', expr: 'sum(rate(http_requests_total{service="victim",code=~"5.."}[5m]))' };
/** Closes the batch's sum( and label_replace( and claims the victim's index with a zero. */
const ESCAPE = `vector(0)), "${TAG}", "9", "", "") or label_replace(vector(0), "${TAG}", "0", "", "") or label_replace(sum(vector(0)`;

describe('a catalog query is exactly one PromQL expression', () => {
  it.each([
    'sum(rate(x[5m]))',
    'sum by (code) (rate(x{a="b"}[5m])) / on() group_left sum(rate(y[5m]))',
    'rate(x[5m]) # a comment at the end',
    'sum(\n  rate(x[5m])\n)',
    'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
    'sum(rate(x[5m])) or vector(0)',
  ])('accepts %j', (query) => expect(promqlProblem(query)).toBeNull());

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    [ESCAPE, /syntax error/],
    ['sum(rate(x[5m])', /ends too early/],
    ['x y', /syntax error at character 3/],
    ['sum(x) # comment\n)', /syntax error/],
    ['rate(x[5m])), "a"', /syntax error/],
  ])('refuses %j', (query, message) => expect(promqlProblem(query)).toMatch(message));
});

describe('batched expression', () => {
  it('puts each query alone on its lines inside sum(), tagged with its index', () => {
    expect(batchExpression([{ id: 'a', expr: 'x' }])).toBe(
      `label_replace(sum(\nx\n), "${TAG}", "0", "", "")`,
    );
  });

  it('keeps a trailing comment inside its own query', () => {
    const batch = buildBatch([
      { id: 'a', expr: 'x # errors' },
      { id: 'b', expr: 'y' },
    ]);
    expect(() => assertBatchShape(batch, TAG)).not.toThrow();
  });

  it('refuses a batch in which a query escapes its sum()', () => {
    const batch = buildBatch([victim, { id: 'attacker', expr: ESCAPE }]);
    expect(() => assertBatchShape(batch, TAG)).toThrow(BatchShapeError);
  });

  it('keeps nesting logarithmic for a large fleet', () => {
    const queries = Array.from({ length: 2000 }, (_, i) => ({ id: String(i), expr: `q${i}` }));
    const batch = buildBatch(queries);
    let depth = 0;
    let max = 0;
    for (const ch of batch.text) {
      if (ch === '(') max = Math.max(max, ++depth);
      if (ch === ')') depth--;
    }
    expect(max).toBeLessThan(30);
    expect(() => assertBatchShape(batch, TAG)).not.toThrow();
  });
});

// Token soup close to what an attacker would try: brackets, quotes, commas, `or`, the tag itself.
const TOKENS = [
  'x',
  'vector(0)',
  'sum(',
  'label_replace(',
  '(',
  ')',
  '[5m]',
  '{a="b"}',
  ',',
  ' ',
  '\n',
  '#',
  '"',
  '`',
  "'",
  `"${TAG}"`,
  '"0"',
  '"1"',
  '""',
  ' or ',
  ' and ',
  ' by (a) ',
  ' on() ',
  '1',
  '/',
  'rate(',
];
const soup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }).map((t) => t.join(''));

describe('batch isolation properties', () => {
  it('a query is either refused alone, or batched with its victim in exactly the built shape', () => {
    fc.assert(
      fc.property(soup, fc.boolean(), (expr, attackerFirst) => {
        const attacker = { id: 'attacker', expr };
        const queries = attackerFirst ? [attacker, victim] : [victim, attacker];
        const batch = buildBatch(queries);
        const alone = promqlProblem(expr) === null;
        let shaped = true;
        try {
          assertBatchShape(batch, TAG);
        } catch (err) {
          if (!(err instanceof BatchShapeError)) throw err;
          shaped = false;
        }
        // Sound: a batch that verifies only holds queries that are expressions on their own …
        if (shaped) expect(alone).toBe(true);
        // … and complete: every query that is one expression can be batched.
        if (alone) expect(shaped).toBe(true);
        const slot = batch.slots[attackerFirst ? 1 : 0]!;
        expect(batch.text.slice(slot.from, slot.to)).toBe(victim.expr);
      }),
      { numRuns: 3000 },
    );
  });

  it('never sends a query that is not one expression, nor a batch of another shape', async () => {
    const sent: string[] = [];
    const client = new PrometheusClient({ url: 'http://127.0.0.1:9' });
    client.query = (expr: string) => {
      sent.push(expr);
      return Promise.resolve([]);
    };
    await fc.assert(
      fc.asyncProperty(soup, async (expr) => {
        sent.length = 0;
        const result = await queryBatch(client, [victim, { id: 'attacker', expr }], new Date(0));
        for (const text of sent) expect(promqlProblem(text)).toBeNull();
        if (promqlProblem(expr) !== null) {
          expect(sent).toEqual([batchExpression([victim])]);
          expect(result.failures.map((f) => f.id)).toEqual(['attacker']);
        }
      }),
      { numRuns: 500 },
    );
  });
});
