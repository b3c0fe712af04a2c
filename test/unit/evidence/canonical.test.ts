import fc from 'fast-check';
import { canonicalJson } from '../../../src/evidence/canonical';

/** The form every audit line has been hashed over since the chain began: keys sorted into copies, then JSON.stringify. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** Keys that JSON orders specially (array indexes, near-indexes) or that sort unlike their code points. */
const awkwardKey = fc.oneof(
  fc.string(),
  fc.nat({ max: 40 }).map(String),
  fc.constantFrom('4294967294', '4294967295', '01', '-1', '1.5', '__proto__', 'é', 'Z', 'a', '\u{1F600}'),
);

const awkwardValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    fc.constantFrom(undefined, Number.NaN, -0, Infinity, 1e21, () => 1),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('writes exactly the form earlier audit lines were hashed over, for JSON data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('and for the awkward cases: array-index keys, undefined, NaN, dates, functions, deep nesting', () => {
    fc.assert(
      fc.property(awkwardValue, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys at every level, whatever their insertion order', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null }, 10: 'x', 9: 'y' })).toBe(
      '{"9":"y","10":"x","a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses a BigInt as JSON.stringify does', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});
