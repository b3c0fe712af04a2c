import {
  changeTitle,
  NEVER_MERGES_FOOTER,
  renderChangeBody,
  type ChangeEvidence,
} from '../../../src/gitops/pr-body';

const evidence: ChangeEvidence = {
  incidentId: 'checkout-20260101T000000Z',
  service: 'checkout',
  proposalType: 'rollback-rollout',
  severity: 'fast-burn',
  evaluatedAt: '2026-01-01T00:00:00.000Z',
  slos: [
    {
      name: 'availability',
      objective: 99.9,
      window: '30d',
      severity: 'fast-burn',
      errorBudget: { remaining: 0.42 },
      burnRates: { '5m': 21, '30m': 19.5, '1h': 18.2, '2h': 9.1, '6h': 3, '1d': 0.8, '3d': null },
    },
  ],
  approval: {
    approver: 'alice',
    reason: 'Error rate spiked after 1.9.0\nRolling back.',
    approvedAt: '2026-01-01T00:05:00Z',
  },
  rollbackTarget: { sha: '0123456789abcdef0123456789abcdef01234567', date: '2025-12-31T22:00:00.000Z' },
};

describe('renderChangeBody', () => {
  const body = renderChangeBody(evidence);

  it.each([
    ['the service', '| Service | checkout |'],
    ['the incident id', '| Incident | checkout-20260101T000000Z |'],
    ['the proposal type', '| Proposal | `rollback-rollout` |'],
    ['the severity', '| Severity | fast-burn |'],
    ['the rollback target', '| Restores images from | `0123456789ab` (2025-12-31T22:00:00.000Z) |'],
    [
      'the burn-rate header with every window',
      '| SLO | Objective | Severity | Budget remaining | Burn 5m | Burn 30m | Burn 1h | Burn 2h | Burn 6h | Burn 1d | Burn 3d |',
    ],
    [
      'the SLO row, with missing data as "no data"',
      '| availability (30d) | 99.9% | fast-burn | 42.0% | 21.00 | 19.50 | 18.20 | 9.10 | 3.00 | 0.80 | no data |',
    ],
    ['the approver', 'Approved by **alice** at 2026-01-01T00:05:00Z:'],
    ['every line of the reason, quoted', '> Error rate spiked after 1.9.0\n> Rolling back.'],
    ['the never-merges footer', NEVER_MERGES_FOOTER],
  ])('shows %s', (_case, expected) => {
    expect(body).toContain(expected);
  });

  it('keeps a pipe in the service name from breaking the table', () => {
    expect(renderChangeBody({ ...evidence, service: 'a|b' })).toContain('| Service | a\\|b |');
  });

  it('says so when no SLO assessment is attached', () => {
    expect(renderChangeBody({ ...evidence, slos: [] })).toContain('_No SLO assessment attached._');
  });

  it('never includes credentials, known or recognisable', () => {
    const leaky = renderChangeBody(
      {
        ...evidence,
        approval: {
          approver: 'bob',
          reason:
            'pushed with https://bob:hunter2@git.example.com and ghp_abcdefghijklmnopqrstuvwxyz0123456789, key s3cr3t',
        },
      },
      ['s3cr3t'],
    );
    expect(leaky).not.toMatch(/hunter2|ghp_abc|s3cr3t/);
    expect(leaky).toContain('[REDACTED]');
  });
});

describe('changeTitle', () => {
  it('names the proposal, the service and the incident', () => {
    expect(changeTitle(evidence)).toBe(
      'SafeDeploy rollback-rollout: checkout (incident checkout-20260101T000000Z)',
    );
  });
});

describe('renderChangeBody with an attribution', () => {
  const revision = (sha: string, version: string, subject: string) => ({
    sha: sha.repeat(40).slice(0, 40),
    date: '2025-12-31T23:58:00Z',
    author: 'Release pipeline <ci@example.com>',
    subject,
    images: [{ container: 'checkout', image: `registry.example.com/shop/checkout:${version}` }],
  });
  const body = renderChangeBody({
    ...evidence,
    attribution: {
      service: 'checkout',
      lookback: '24h',
      outcome: 'rollback',
      onset: {
        at: '2025-12-31T23:59:05.000Z',
        source: 'prometheus',
        slo: 'availability',
        atWindowStart: false,
        ratioWindow: '5m',
        queries: [
          {
            slo: 'availability',
            expr: '(sum(errors[5m])) / (sum(total[5m]))',
            start: '2025-12-31T23:00:00.000Z',
            end: '2026-01-01T00:00:05.000Z',
            stepSeconds: 5,
            onset: '2025-12-31T23:59:05.000Z',
          },
        ],
      },
      suspect: revision('a', '1.9.0', 'checkout 1.9.0'),
      target: revision('b', '1.8.2', 'checkout 1.8.2'),
      current: revision('a', '1.9.0', 'checkout 1.9.0'),
      afterOnset: [],
    },
  });

  it.each([
    [
      'the onset',
      '| Burn began | 2025-12-31T23:59:05.000Z (availability: 5m error ratio left its baseline) |',
    ],
    ['the suspect commit and message', '| Suspect release | `aaaaaaaaaaaa` checkout 1.9.0 |'],
    ['its author', '| Author | Release pipeline <ci@example.com> |'],
    ['its commit time', '| Committed | 2025-12-31T23:58:00Z |'],
    ['the images now', '| Images now | `registry.example.com/shop/checkout:1.9.0` |'],
    [
      'the images restored',
      '| Images restored | `registry.example.com/shop/checkout:1.8.2` (from `bbbbbbbbbbbb`) |',
    ],
    ['the look-back', '| Look-back | 24h |'],
    ['the query', 'Onset query (availability, step 5s): `(sum(errors[5m])) / (sum(total[5m]))`'],
  ])('shows %s', (_what, line) => {
    expect(body.split('\n')).toContain(line);
  });
});
