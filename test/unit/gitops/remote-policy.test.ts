// Which remote URLs git may be given: nothing it could read as an option or run as a command, and only
// schemes from the allow-list (SAFEDEPLOY_GIT_ALLOWED_SCHEMES).
import { allowedGitSchemes, remoteUrlProblem } from '../../../src/gitops/git/remote-policy';

describe('git remote URLs', () => {
  it.each([
    'https://github.com/acme/env.git',
    'https://x-access-token:t0ken@github.com/acme/env.git',
    'ssh://git@github.com/acme/env.git',
    'git@github.com:acme/env.git',
    'git://git.example.com/env.git',
    'file:///srv/env.git',
    '/srv/env.git',
  ])('accepts %s', (url) => expect(remoteUrlProblem(url)).toBeNull());

  it.each([
    ['--upload-pack=touch /tmp/pwned #', /must not start with "-"/],
    ['-oProxyCommand=touch /tmp/pwned', /must not start with "-"/],
    ['ext::sh -c touch% /tmp/pwned', /spaces or control/],
    ['ext::sh%20-c%20id', /remote helper/],
    ['fd::3', /remote helper/],
    ['ssh://-oProxyCommand=id/x', /host starting with "-"/],
    ['git@-oProxyCommand=id:x', /host starting with "-"/],
    ['http://git.example.com/env.git', /scheme "http", which is not allowed/],
    ['ftp://git.example.com/env.git', /scheme "ftp", which is not allowed/],
    ['env.git', /absolute path/],
    ['file:///srv/env.git\n--upload-pack=id', /control characters/],
    ['', /empty/],
  ])('refuses %j', (url, reason) => expect(remoteUrlProblem(url)).toMatch(reason));

  it('takes its allow-list from SAFEDEPLOY_GIT_ALLOWED_SCHEMES', () => {
    const schemes = allowedGitSchemes({ SAFEDEPLOY_GIT_ALLOWED_SCHEMES: 'https, SSH' });
    expect(schemes).toEqual(['https', 'ssh']);
    expect(remoteUrlProblem('file:///srv/env.git', schemes)).toMatch(/allowed: https, ssh/);
    expect(remoteUrlProblem('git@github.com:acme/env.git', schemes)).toBeNull();
  });

  it('refuses an allow-list with a scheme git does not know', () =>
    expect(() => allowedGitSchemes({ SAFEDEPLOY_GIT_ALLOWED_SCHEMES: 'https,ext' })).toThrow(
      /unknown scheme "ext"/,
    ));
});
