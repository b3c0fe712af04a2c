import fc from 'fast-check';
import { chooseSuspect, humanDuration, type TemplateRevision } from '../../../src/gitops/attribution';

const MIN = 60_000;
const ONSET = 1_000 * MIN;
const LOOKBACK = 24 * 60 * MIN;
/** Newest first; `template` names the pod template a revision runs. */
const revs = (...list: [number, string | null][]): TemplateRevision[] =>
  list.map(([minutesBeforeOnset, template]) => ({ date: ONSET - minutesBeforeOnset * MIN, template }));

describe('chooseSuspect', () => {
  it.each([
    [
      'the release just before the onset',
      revs([1, 'v2'], [120, 'v1']),
      { kind: 'suspect', suspect: 0, target: 1 },
    ],
    [
      'a replicas-only commit after the release is not the suspect',
      revs([0, 'v2'], [1, 'v2'], [120, 'v1']),
      { kind: 'suspect', suspect: 1, target: 2 },
    ],
    [
      'two releases in a row: the newer one',
      revs([2, 'v3'], [30, 'v2'], [120, 'v1']),
      { kind: 'suspect', suspect: 0, target: 1 },
    ],
    [
      'no pod-template change within the look-back',
      revs([10, 'v1'], [3 * 24 * 60, 'v1'], [4 * 24 * 60, 'v0']),
      { kind: 'none', since: 1, why: 'outside-look-back' },
    ],
    [
      'the manifest was created within the look-back',
      revs([10, 'v1'], [20, 'v1']),
      { kind: 'none', since: 1, why: 'first-revision' },
    ],
    ['no revision before the onset', revs(), { kind: 'none', since: null, why: 'no-revision' }],
  ])('%s', (_name, revisions, expected) => {
    expect(chooseSuspect(revisions, ONSET, LOOKBACK, true)).toEqual(expected);
  });

  it('an incomplete history without a change does not claim a first revision', () => {
    expect(chooseSuspect(revs([10, 'v1'], [20, 'v1']), ONSET, LOOKBACK, false)).toEqual({
      kind: 'none',
      since: null,
      why: 'outside-look-back',
    });
  });

  it('the suspect is within the look-back, differs from its target, and every newer revision runs its pod template', () => {
    const history = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.constantFrom('a', 'b', 'c')), {
        maxLength: 12,
      })
      .map((list) => revs(...list.sort((x, y) => x[0] - y[0])));
    fc.assert(
      fc.property(history, (revisions) => {
        const choice = chooseSuspect(revisions, ONSET, LOOKBACK, true);
        if (choice.kind === 'none') {
          // Nothing changed within the look-back.
          return revisions.every(
            (r, i) =>
              i + 1 >= revisions.length ||
              r.date < ONSET - LOOKBACK ||
              r.template === revisions[i + 1]!.template,
          );
        }
        const suspect = revisions[choice.suspect]!;
        return (
          choice.target === choice.suspect + 1 &&
          suspect.date >= ONSET - LOOKBACK &&
          suspect.template !== revisions[choice.target]!.template &&
          revisions.slice(0, choice.suspect).every((r) => r.template === suspect.template)
        );
      }),
    );
  });
});

describe('humanDuration', () => {
  it.each([
    [45, '45 s'],
    [720, '12 min'],
    [5 * 3600, '5 h'],
    [3 * 86_400, '3 d'],
  ])('%i s is %s', (seconds, text) => expect(humanDuration(seconds)).toBe(text));
});
