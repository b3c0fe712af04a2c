// Reading Alertmanager's webhook payload: what pages, what is ignored, what is refused, and the key
// that makes an HA pair's two deliveries one.
import { buildCatalog } from '../../../src/catalog/loader';
import { parseCatalogText } from '../../../src/catalog/parse';
import {
  alertKey,
  AlertIntakeError,
  DEFAULT_ALERT_INTAKE,
  parseWebhook,
  planAlerts,
  type AlertmanagerWebhook,
} from '../../../src/alerts/alertmanager';
import { SeenAlerts } from '../../../src/alerts/seen';

const catalog = buildCatalog(
  [
    parseCatalogText(
      'apiVersion: safedeploy/v1\nkind: Service\nmetadata: { name: checkout }\nspec: { approvers: [alice] }\n',
      'c.yaml',
    ),
  ],
  'catalog',
);
const now = new Date('2026-12-01T12:00:00.000Z');

function payload(alert: Record<string, unknown> = {}): AlertmanagerWebhook {
  return parseWebhook({
    version: '4',
    groupKey: '{}:{alertname="Burn"}',
    status: 'firing',
    receiver: 'safedeploy',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'Burn', service: 'checkout', severity: 'page' },
        annotations: {},
        startsAt: '2026-12-01T11:59:30.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'abc123',
        ...alert,
      },
    ],
  });
}

const plan = (p: AlertmanagerWebhook) => planAlerts(p, catalog.services, DEFAULT_ALERT_INTAKE, now);

describe('the Alertmanager intake', () => {
  it('turns a firing page into a fast-burn observation at the alert’s start', () => {
    const [p] = plan(payload());
    expect(p).toMatchObject({
      action: 'page',
      observation: { service: 'checkout', severity: 'fast-burn', evaluatedAt: '2026-12-01T11:59:30.123Z' },
    });
  });

  it('never dates an observation after now (a skewed Alertmanager clock)', () => {
    const [p] = plan(payload({ startsAt: '2026-12-01T13:00:00Z' }));
    expect(p!.action === 'page' && p!.observation.evaluatedAt).toBe(now.toISOString());
  });

  it.each([
    ['a resolved alert', { status: 'resolved' }, /resolution follows/],
    [
      'a warning',
      { labels: { alertname: 'Burn', service: 'checkout', severity: 'warning' } },
      /does not page/,
    ],
  ])('ignores %s', (_name, alert, reason) => {
    const [p] = plan(payload(alert));
    expect(p).toMatchObject({ action: 'ignore', reason: expect.stringMatching(reason) as unknown });
  });

  it.each([
    ['another payload version', { version: '3' }, /version: must be "4"/],
    [
      'alerts that are not a list',
      { version: '4', groupKey: 'g', status: 'firing', receiver: 'r', alerts: {} },
      /alerts/,
    ],
    ['a start that is no time', null, /startsAt: must be an RFC 3339 time/],
  ])('refuses %s with a 400', (_name, body, error) => {
    const bad = body ?? { ...payload(), alerts: [{ ...payload().alerts[0], startsAt: 'yesterday' }] };
    expect(() => parseWebhook(bad)).toThrow(error);
  });

  it('refuses the whole payload with a 422 naming each alert without a known service', () => {
    const p = payload();
    const bad = {
      ...p,
      alerts: [
        ...p.alerts,
        { ...p.alerts[0]!, labels: { alertname: 'X', service: 'nope' } },
        { ...p.alerts[0]!, labels: { alertname: 'Y' } },
      ],
    };
    let error: unknown;
    try {
      plan(bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AlertIntakeError);
    expect((error as AlertIntakeError).statusCode).toBe(422);
    expect((error as Error).message).toBe(
      'alerts.1 (X): no service "nope" in the catalog; alerts.2 (Y) has no "service" label',
    );
  });

  it('maps services by a configured label', () => {
    const p = payload({ labels: { alertname: 'Burn', app: 'checkout', severity: 'critical' } });
    expect(
      planAlerts(p, catalog.services, { ...DEFAULT_ALERT_INTAKE, serviceLabel: 'app' }, now)[0]!.action,
    ).toBe('page');
  });

  it('keys an episode by group, fingerprint and start: an HA pair’s copies match, a new episode does not', () => {
    const a = payload().alerts[0]!;
    expect(alertKey('g', a)).toBe(alertKey('g', { ...a, annotations: { other: 'x' } }));
    expect(alertKey('g', a)).not.toBe(alertKey('g', { ...a, startsAt: '2026-12-01T11:59:31Z' }));
    expect(alertKey('g', a)).not.toBe(alertKey('h', a));
  });
});

describe('alerts already seen', () => {
  it('claims once, forgets after the TTL, gives back a claim, and stays bounded', () => {
    const seen = new SeenAlerts(2, 1_000);
    expect(seen.claim('a', 0)).toBe(true);
    expect(seen.claim('a', 500)).toBe(false);
    expect(seen.claim('a', 1_500)).toBe(true);
    seen.release('a');
    expect(seen.claim('a', 1_600)).toBe(true);
    seen.claim('b', 1_600);
    seen.claim('c', 1_600);
    expect(seen.claim('a', 1_700)).toBe(true); // evicted as the oldest
  });
});
