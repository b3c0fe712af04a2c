// The notification renderers against the receivers' own checks (test/harness/receivers.ts): Slack's
// Block Kit limits hold for any input, webhook signatures verify only unaltered and fresh bodies,
// and PagerDuty gets one dedup_key per incident with the action each transition calls for.
import fc from 'fast-check';
import type { NotificationEvent } from '../../../src/notify/events';
import { dedupKey, pagerDutyAction, pagerDutyRequests } from '../../../src/notify/pagerduty';
import { slackMessage } from '../../../src/notify/slack';
import { signature, verifySignature, webhookBody } from '../../../src/notify/webhook';
import { pagerDutyProblem, slackProblem } from '../../harness/receivers';

const links = { webUi: 'http://localhost:8233', namespace: 'default' };

function event(over: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    id: 'checkout-20261201t120000z:incident:1',
    kind: 'incident-transition',
    occurredAt: '2026-12-01T12:00:00.000Z',
    service: 'checkout',
    summary: 'checkout incident is detected',
    workflowId: 'incident-checkout',
    incident: {
      id: 'checkout-20261201t120000z',
      kind: 'slo',
      state: 'detected',
      severity: 'fast-burn',
      detectedAt: '2026-12-01T12:00:00.000Z',
    },
    slos: [
      {
        name: 'availability',
        objective: 99.9,
        window: '30d',
        severity: 'fast-burn',
        remaining: 0.8,
        burnRates: { '5m': 20, '30m': 20, '1h': 20, '2h': 2, '6h': 2, '1d': 0.5, '3d': null },
      },
    ],
    transition: { from: null, to: 'detected', actor: 'safedeploy', reason: 'fast burn' },
    ...over,
  };
}

describe('Slack Block Kit messages', () => {
  it('stay within every Block Kit limit, whatever the texts and however many SLOs', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6000 }),
        fc.string({ maxLength: 3000 }),
        fc.integer({ min: 0, max: 80 }),
        (summary, reason, sloCount) => {
          const slos = Array.from({ length: sloCount }, (_, i) => ({
            ...event().slos![0]!,
            name: `slo-${i}-${reason.slice(0, 50)}`,
          }));
          const e = event({
            summary: summary || 'x',
            slos,
            actor: { by: reason, reason, refusal: reason },
            transition: { from: 'detected', to: 'investigating', actor: reason, reason },
            proposal: {
              id: 'checkout-20261201t120000z/rollback-rollout',
              type: 'rollback-rollout',
              state: 'pending',
              rationale: reason,
              expiresAt: '2026-12-01T16:00:00.000Z',
            },
          });
          expect(slackProblem(slackMessage(e, links) as unknown as Record<string, unknown>)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives a pending proposal the exact command that approves it, and a link to the Web UI', () => {
    const m = slackMessage(
      event({
        kind: 'proposal-created',
        proposal: {
          id: 'checkout-20261201t120000z/rollback-rollout',
          type: 'rollback-rollout',
          state: 'pending',
          rationale: 'restore',
          expiresAt: '2026-12-01T16:00:00.000Z',
        },
      }),
      links,
    );
    const text = JSON.stringify(m.blocks);
    expect(text).toContain(
      "safedeploy proposal approve checkout-20261201t120000z/rollback-rollout --reason '&lt;why&gt;'",
    );
    expect(text).toContain('http://localhost:8233/namespaces/default/workflows/incident-checkout');
    expect(text).toContain('budget left 80.0%');
  });

  it('marks a test message as a test in its header and fallback text', () => {
    const m = slackMessage(event({ kind: 'test', incident: undefined, transition: undefined }), links);
    expect(m.text.startsWith('[TEST] ')).toBe(true);
    expect(JSON.stringify(m.blocks[0])).toContain('TEST');
  });
});

describe('webhook signatures', () => {
  const body = JSON.stringify(webhookBody(event(), links));
  const now = 1_764_590_400;
  const headers = { timestamp: String(now), signature: signature('s3cret', now, body) };

  it('verify the body as sent', () => expect(verifySignature('s3cret', headers, body, now + 10)).toBe(true));
  it('fail for an altered body', () =>
    expect(verifySignature('s3cret', headers, `${body} `, now)).toBe(false));
  it('fail for another secret', () => expect(verifySignature('other', headers, body, now)).toBe(false));
  it('fail for a replay older than five minutes', () =>
    expect(verifySignature('s3cret', headers, body, now + 301)).toBe(false));
  it('fail for a moved timestamp', () =>
    expect(verifySignature('s3cret', { ...headers, timestamp: String(now + 1) }, body, now)).toBe(false));
  it('carry a versioned body', () =>
    expect(JSON.parse(body)).toMatchObject({ version: 'safedeploy.notification/v1', test: false }));
});

describe('PagerDuty Events v2', () => {
  const cases: [string, NotificationEvent['transition'], string | undefined][] = [
    ['detection triggers', { from: null, to: 'detected', actor: 's', reason: 'r' }, 'trigger'],
    [
      'a human taking it acknowledges',
      { from: 'detected', to: 'investigating', actor: 'bob', reason: 'r' },
      'acknowledge',
    ],
    [
      'renewed burning after mitigation triggers again',
      { from: 'mitigated', to: 'investigating', actor: 's', reason: 'r' },
      'trigger',
    ],
    [
      'mitigation sends nothing',
      { from: 'investigating', to: 'mitigated', actor: 's', reason: 'r' },
      undefined,
    ],
    ['resolution resolves', { from: 'mitigated', to: 'resolved', actor: 's', reason: 'r' }, 'resolve'],
  ];
  it.each(cases)('%s', (_name, transition, action) => {
    const e = event({ transition });
    expect(pagerDutyAction(e)).toBe(action);
    for (const r of pagerDutyRequests(e, 'key', links))
      expect(pagerDutyProblem(r.path, r.body, 'key')).toBeUndefined();
  });

  it('keys every event of one incident with the same dedup_key', () => {
    const keys = cases.map(([, transition]) => dedupKey(event({ id: `x:${transition!.to}`, transition })));
    expect(new Set(keys)).toEqual(new Set(['safedeploy/checkout-20261201t120000z']));
  });

  it('records a merged rollback as a change event, and a test as one too (it pages nobody)', () => {
    const merged = event({
      kind: 'change-merged',
      proposal: { id: 'p', type: 'rollback-rollout', state: 'merged', rationale: 'r', expiresAt: '' },
    });
    expect(pagerDutyRequests(merged, 'key', links).map((r) => r.path)).toEqual(['/v2/change/enqueue']);
    const test = event({ kind: 'test', incident: undefined, transition: undefined });
    expect(pagerDutyRequests(test, 'key', links).map((r) => r.path)).toEqual(['/v2/change/enqueue']);
    const paused = event({
      kind: 'change-merged',
      proposal: { ...merged.proposal!, type: 'block-promotion' },
    });
    expect(pagerDutyRequests(paused, 'key', links)).toEqual([]);
  });

  it('cuts a long summary to 1024 characters', () => {
    const [r] = pagerDutyRequests(event({ summary: 'x'.repeat(5000) }), 'key', links);
    expect((r!.body.payload as { summary: string }).summary.length).toBe(1024);
    expect(pagerDutyProblem(r!.path, r!.body, 'key')).toBeUndefined();
  });
});
