import { chooseProposal, parseProposalRef } from '../../../src/cli/commands/proposal';
import { CliError } from '../../../src/cli/errors';
import { INCIDENT_ID, incidentView, proposal } from './fixtures';

describe('naming a proposal on the command line', () => {
  it.each<[string, string, string | undefined, object]>([
    [
      'a proposal id names its incident and type',
      `${INCIDENT_ID}/rollback-rollout`,
      undefined,
      { incident: INCIDENT_ID, type: 'rollback-rollout' },
    ],
    ['a service alone leaves the type to the incident', 'checkout', undefined, { incident: 'checkout' }],
    [
      'an incident id with --type names that type',
      INCIDENT_ID,
      'block-promotion',
      { incident: INCIDENT_ID, type: 'block-promotion' },
    ],
    [
      'a fresh proposal after a superseded one is named exactly',
      `${INCIDENT_ID}/rollback-rollout-2`,
      undefined,
      { incident: INCIDENT_ID, type: 'rollback-rollout', id: `${INCIDENT_ID}/rollback-rollout-2` },
    ],
    [
      'a proposal id agreeing with --type is accepted',
      `${INCIDENT_ID}/promote-canary`,
      'promote-canary',
      { incident: INCIDENT_ID, type: 'promote-canary' },
    ],
  ])('%s', (_name, ref, type, expected) => {
    expect(parseProposalRef(ref, type)).toEqual(expected);
  });

  it.each<[string, string, string | undefined, RegExp]>([
    [
      'an unknown type in the id is refused',
      `${INCIDENT_ID}/rollback`,
      undefined,
      /unknown proposal type "rollback"/,
    ],
    ['an unknown --type is refused', 'checkout', 'revert', /--type: unknown proposal type "revert"/],
    [
      'an id contradicting --type is refused',
      `${INCIDENT_ID}/rollback-rollout`,
      'promote-canary',
      /is a rollback-rollout proposal, but --type says promote-canary/,
    ],
  ])('%s as a usage error', (_name, ref, type, message) => {
    let error: unknown;
    try {
      parseProposalRef(ref, type);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringMatching(message) as unknown });
  });
});

describe('choosing the proposal an approval is about', () => {
  it('takes the newest proposal of a type: a superseded one is followed by a fresh one', () => {
    const fresh = { ...proposal('rollback-rollout', 'pending'), id: `${INCIDENT_ID}/rollback-rollout-2` };
    const view = incidentView({ proposals: [proposal('rollback-rollout', 'superseded'), fresh] });
    expect(chooseProposal(view, 'rollback-rollout')).toBe(fresh.id);
  });

  it('takes the one pending proposal', () => {
    const view = incidentView({
      proposals: [proposal('rollback-rollout', 'rejected'), proposal('block-promotion', 'pending')],
    });
    expect(chooseProposal(view)).toBe(`${INCIDENT_ID}/block-promotion`);
  });

  it('takes the only proposal even when it is not pending, so the workflow says why', () => {
    const view = incidentView({ proposals: [proposal('rollback-rollout', 'opened')] });
    expect(chooseProposal(view)).toBe(`${INCIDENT_ID}/rollback-rollout`);
  });

  it('takes --type as given, whatever the incident holds', () => {
    expect(chooseProposal(incidentView(), 'promote-canary')).toBe(`${INCIDENT_ID}/promote-canary`);
  });

  it('asks for --type when several proposals are pending', () => {
    const view = incidentView({
      proposals: [proposal('rollback-rollout', 'pending'), proposal('block-promotion', 'pending')],
    });
    expect(() => chooseProposal(view)).toThrow(
      /several proposals \(rollback-rollout pending, block-promotion pending\): choose one with --type/,
    );
  });

  it('says so when the incident has no proposals (exit 1)', () => {
    expect(() => chooseProposal(incidentView())).toThrow(
      expect.objectContaining({
        exitCode: 1,
        message: expect.stringContaining('has no proposals') as unknown,
      }) as Error,
    );
  });
});
