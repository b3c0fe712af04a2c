import fc from 'fast-check';
import {
  chainEntries,
  GENESIS_HASH,
  hashLine,
  verifyChain,
  type AuditEntry,
} from '../../../src/evidence/chain';

const SECRET = 'hunter2-0123456789abcdef';

const entry: fc.Arbitrary<AuditEntry> = fc
  .record({
    eventId: fc.string({ minLength: 1 }),
    fields: fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('7', 'at', '__proto__')),
      fc.oneof(
        fc.jsonValue(),
        fc.date({ noInvalidDate: true }),
        fc.constant(undefined),
        fc.constantFrom(`token ${SECRET}`, 'https://user:pw@example.test/x', 'Bearer abc.def'),
      ),
      { maxKeys: 5 },
    ),
  })
  .filter(({ fields }) => !['seq', 'hash', 'prevHash'].some((f) => Object.hasOwn(fields, f)))
  .map(({ eventId, fields }) => ({ ...fields, eventId }));

describe('chainEntries', () => {
  it('gives each line the JSON a reader would write for it, and a chain that verifies', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        const chained = chainEntries({ seq: 0, hash: GENESIS_HASH }, entries, new Set(), [SECRET]);
        for (const { line, json } of chained) {
          expect(json).toBe(JSON.stringify(line));
          const { hash, ...body } = line;
          expect(hashLine(body)).toBe(hash);
          expect(json).not.toContain(SECRET);
        }
        const result = verifyChain(
          'test',
          chained.map((c) => c.json),
        );
        expect(result.broken).toBeUndefined();
        expect(result.lines).toBe(chained.length);
      }),
      { numRuns: 500 },
    );
  });

  it('records each event once, skipping the ids already in the stream', () => {
    const chained = chainEntries(
      { seq: 4, hash: 'a'.repeat(64) },
      [{ eventId: 'old' }, { eventId: 'new', n: 1 }, { eventId: 'new', n: 2 }],
      new Set(['old']),
    );
    expect(chained.map((c) => c.json)).toEqual([
      `{"eventId":"new","n":1,"seq":5,"prevHash":"${'a'.repeat(64)}","hash":"${chained[0]!.line.hash}"}`,
    ]);
  });

  it("refuses an entry carrying one of the chain's own fields: its line could never verify", () => {
    expect(() =>
      chainEntries({ seq: 0, hash: GENESIS_HASH }, [{ eventId: 'e1', hash: 'mine' }], new Set()),
    ).toThrow('audit entry e1 carries "hash", a field the chain sets itself');
  });
});
