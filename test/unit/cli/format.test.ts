import os from 'node:os';
import { defaultActor } from '../../../src/cli/identity';
import { formatAge } from '../../../src/cli/views/format';

describe('ages in tables', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600 + 5 * 60, '1h05m'],
    [26 * 3600, '1d2h'],
    [-5, '0s'],
  ])('%s seconds read as %s', (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});

describe('who is acting', () => {
  it('is $SAFEDEPLOY_USER when set', () => {
    expect(defaultActor({ SAFEDEPLOY_USER: ' alice ' })).toBe('alice');
  });

  it('is the operating-system user otherwise', () => {
    expect(defaultActor({})).toBe(os.userInfo().username);
  });
});
