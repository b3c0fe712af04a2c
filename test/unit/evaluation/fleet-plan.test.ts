import {
  planFleetActions,
  readFleetAction,
  readLastSeen,
  type LastSeen,
} from '../../../src/evaluation/fleet-plan';
import { DEFAULT_GOVERNANCE } from '../../../src/catalog/model';
import type { ServiceObservation } from '../../../src/evaluation/observation';
import type { Severity } from '../../../src/slo/severity';

const at = '2026-01-01T00:00:00.000Z';
function seen(severity: Severity, violations: ServiceObservation['violations'] = []): ServiceObservation {
  const o: ServiceObservation = {
    service: 'checkout',
    evaluatedAt: at,
    severity,
    verdict: 'allow',
    violations,
  };
  if (severity === 'normal' && violations.length === 0) return o;
  return {
    ...o,
    detail: {
      reasons: [],
      slos: [],
      violations: [],
      context: { approvers: ['alice'], governance: DEFAULT_GOVERNANCE },
    },
  };
}
const last = (severity: Severity, extra: Partial<LastSeen> = {}): Record<string, LastSeen> => ({
  checkout: { severity, violations: '', ...extra },
});
const kinds = (previous: Record<string, LastSeen>, o: ServiceObservation) =>
  planFleetActions(previous, [o]).actions.map((a) => `${a.kind}:${'start' in a ? a.start : a.exhausted}`);

describe('fleet plan: signals only on a change', () => {
  it.each<[string, Record<string, LastSeen>, ServiceObservation, string[]]>([
    ['a service that stays normal gets nothing', last('normal'), seen('normal'), []],
    ['a service that stays burning gets nothing', last('fast-burn'), seen('fast-burn'), []],
    [
      'a service that starts burning opens (or updates) its incident',
      last('normal'),
      seen('fast-burn'),
      ['slo:true'],
    ],
    ['a recovery is sent to the running incident', last('fast-burn'), seen('normal'), ['slo:false']],
    [
      'a recovery after a no-data step still reaches the incident',
      last('no-data'),
      seen('normal'),
      ['slo:false'],
    ],
    ['a normal service that goes no-data opens nothing', last('normal'), seen('no-data'), []],
    [
      'exhaustion starts a freeze with the incident',
      last('normal'),
      seen('exhausted'),
      ['slo:true', 'freeze:true'],
    ],
    [
      'the end of exhaustion starts the freeze timer',
      last('exhausted'),
      seen('fast-burn'),
      ['slo:true', 'freeze:false'],
    ],
    [
      'a new violation opens a policy incident',
      last('normal'),
      seen('normal', ['not-canary']),
      ['policy:true'],
    ],
    [
      'a fixed catalog entry is sent to the policy incident',
      last('normal', { violations: 'not-canary' }),
      seen('normal'),
      ['policy:false'],
    ],
  ])('%s', (_name, previous, observation, expected) => {
    expect(kinds(previous, observation)).toEqual(expected);
  });

  it('after a restart (nothing seen yet) tells possibly running workflows the current state', () => {
    expect(kinds({}, seen('normal'))).toEqual(['slo:false', 'policy:false', 'freeze:false']);
  });

  it('gives a new incident the last time the service was seen healthy', () => {
    const plan = planFleetActions(last('normal', { lastHealthyAt: '2025-12-31T23:59:00.000Z' }), [
      seen('fast-burn'),
    ]);
    expect(plan.actions[0]).toMatchObject({ kind: 'slo', lastHealthyAt: '2025-12-31T23:59:00.000Z' });
    expect(plan.next.checkout).toEqual({
      severity: 'fast-burn',
      violations: '',
      lastHealthyAt: '2025-12-31T23:59:00.000Z',
    });
  });
});

describe('fleet state written by older workers (lastNormalAt, kind incident)', () => {
  it('reads lastNormalAt as lastHealthyAt and keeps lastHealthyAt when both are present', () => {
    expect(
      readLastSeen({
        checkout: { severity: 'normal', violations: '', lastNormalAt: at },
        payments: {
          severity: 'fast-burn',
          violations: '',
          lastHealthyAt: at,
          lastNormalAt: '2025-01-01T00:00:00.000Z',
        },
        search: { severity: 'no-data', violations: '' },
      }),
    ).toEqual({
      checkout: { severity: 'normal', violations: '', lastHealthyAt: at },
      payments: { severity: 'fast-burn', violations: '', lastHealthyAt: at },
      search: { severity: 'no-data', violations: '' },
    });
    expect(readLastSeen(undefined)).toEqual({});
  });

  it("reads an SLO incident action planned as kind 'incident' as kind 'slo'", () => {
    const observation = seen('fast-burn');
    expect(
      readFleetAction({ kind: 'incident', service: 'checkout', start: true, observation, lastHealthyAt: at }),
    ).toEqual({ kind: 'slo', service: 'checkout', start: true, observation, lastHealthyAt: at });
    const freeze = { kind: 'freeze', service: 'checkout', exhausted: true, at } as const;
    expect(readFleetAction(freeze)).toBe(freeze);
  });
});
