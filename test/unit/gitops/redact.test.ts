import { redact, REDACTED } from '../../../src/evidence/redact';

describe('redact', () => {
  it.each([
    ['a known secret value', 'token is s3cr3t-value here', ['s3cr3t-value'], 'token is [REDACTED] here'],
    [
      'the URL-encoded form of a known secret',
      'https://host/?p=a%2Fb%40c',
      ['a/b@c'],
      'https://host/?p=[REDACTED]',
    ],
    ['a GitHub personal access token', 'use ghp_abcdefghijklmnopqrstuvwxyz0123456789', [], 'use [REDACTED]'],
    ['a GitHub server-to-server token', 'x ghs_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 y', [], 'x [REDACTED] y'],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnop', [], '[REDACTED]'],
    [
      'an Authorization header',
      'Authorization: Bearer abc.def.ghi\nnext',
      [],
      'Authorization: [REDACTED]\nnext',
    ],
    ['an authorization JSON field', '{"authorization":"token xyz"}', [], '{"authorization":"[REDACTED]"}'],
    ['a bare bearer token', 'curl -H x Bearer eyJhbGciOiJIUzI1NiJ9', [], 'curl -H x Bearer [REDACTED]'],
    [
      'user:password in a URL',
      'fatal: https://bob:hunter2@git.example.com/env.git',
      [],
      'fatal: https://[REDACTED]@git.example.com/env.git',
    ],
    ['a token as URL user with empty password', 'https://x-access-token:@h/r', [], 'https://[REDACTED]@h/r'],
    ['a token as the lone user of an https URL', 'see https://t0k3n@h/r', [], 'see https://[REDACTED]@h/r'],
    [
      'a credential query parameter',
      'GET /q?x=1&access_token=abc123',
      [],
      'GET /q?x=1&access_token=[REDACTED]',
    ],
    ['an upper-case bearer token', 'BEARER abcdefghijkl', [], 'BEARER [REDACTED]'],
  ])('removes %s', (_case, text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });

  it('removes a PEM private key block whole', () => {
    const key = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA', '-----END RSA PRIVATE KEY-----'].join(
      '\n',
    );
    expect(redact(`before\n${key}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
  });

  it('removes an unterminated private key to the end of the text', () => {
    expect(redact('x\n-----BEGIN PRIVATE KEY-----\nMIIE...')).toBe(`x\n${REDACTED}`);
  });

  it('redacts the longer of two overlapping secrets whole', () => {
    expect(redact('abcdef', ['abc', 'abcdef'])).toBe(REDACTED);
  });

  it('leaves ordinary text, ssh remotes and empty secrets alone', () => {
    const text = 'git@github.com:acme/env.git burn rate 14.4 (ghp_short)';
    expect(redact(text, [''])).toBe(text);
  });
});
