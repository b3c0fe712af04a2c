// Sloth and OpenSLO documents (fixtures written from the shapes of the projects' published examples)
// become safedeploy/v1 services, and every part that cannot be carried is reported with its reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCatalogText } from '../../../src/catalog/parse';
import { parseDefaults } from '../../../src/interop/defaults';
import { droppedCount, importCatalog, type ImportResult } from '../../../src/interop/import';

const FIXTURES = path.resolve(__dirname, '../../fixtures/interop');
const read = (file: string) => ({ file, text: readFileSync(path.join(FIXTURES, file), 'utf8') });
const defaults = parseDefaults(readFileSync(path.join(FIXTURES, 'defaults.yaml'), 'utf8'), 'defaults.yaml');

function services(result: ImportResult) {
  return result.files.flatMap((f) => parseCatalogText(f.text, f.name).services);
}

describe('importing Sloth specs', () => {
  const result = importCatalog(
    [read('sloth/checkout.yaml'), read('sloth/complete.yaml'), read('sloth/team-a/search-crd.yaml')],
    { from: 'sloth', window: '28d', defaults },
  );

  it('converts prometheus/v1 files and PrometheusServiceLevel CRDs into one service each', () => {
    expect(result.issues).toEqual([]);
    expect(result.files.map((f) => f.name)).toEqual(['checkout.yaml', 'ledger.yaml', 'search-api.yaml']);
    const checkout = services(result).find((s) => s.name === 'checkout')!;
    expect(checkout.owner).toEqual({ team: 'payments' });
    expect(checkout.slos.map((s) => [s.name, s.objective, s.window])).toEqual([
      ['requests-availability', 99.9, '28d'],
      ['requests-latency', 99, '28d'],
    ]);
    expect(checkout.slos[0]!.sli.events.errorQuery).toBe(
      'sum(rate(http_requests_total{service="checkout",code=~"(5..|429)"}[{{.window}}]))',
    );
  });

  it('fills the fields Sloth lacks from --defaults, so the imported services meet the policy', () => {
    expect(result.violations).toEqual([]);
    const search = services(result).find((s) => s.name === 'search-api')!;
    expect(search.rollback?.manifest).toBe('apps/search-api/rollout.yaml');
    expect(search.deployment?.rollout).toEqual({ name: 'search-api', namespace: 'shop' });
  });

  it('lists alerting, extra labels and a raw-ratio SLI as dropped, each with a reason', () => {
    const dropped = result.reports.flatMap((r) => r.dropped.map((d) => `${r.name}:${d.path}`));
    expect(dropped).toEqual([
      'checkout:labels.tier',
      'checkout:slos[0].alerting',
      'checkout:slos[1].alerting',
      'Search_API:spec.slos[1]',
    ]);
    expect(result.reports.flatMap((r) => r.dropped).every((d) => d.reason.length > 20)).toBe(true);
    expect(droppedCount(result)).toBe(4);
  });

  it('keeps SLO descriptions as comments and names where each service came from', () => {
    const checkout = result.files.find((f) => f.name === 'checkout.yaml')!.text;
    expect(checkout).toContain('# Checkout answers without a server error.');
    expect(checkout).toContain('#   sloth/checkout.yaml (document 1)');
  });

  it('reports a foreign document as ignored, not as a loss', () => {
    const configMap = result.reports.find((r) => r.kind === 'ConfigMap')!;
    expect(configMap.dropped).toEqual([]);
    expect(configMap.notes[0]).toMatch(/^ignored/);
  });

  it('drops nothing from a spec without alerting or extra labels', () => {
    const only = importCatalog([read('sloth/complete.yaml')], { from: 'sloth', window: '30d', defaults });
    expect(droppedCount(only)).toBe(0);
    expect(only.violations).toEqual([]);
  });

  it('reports the missing SafeDeploy fields as policy violations without --defaults', () => {
    const bare = importCatalog([read('sloth/complete.yaml')], { from: 'sloth', window: '30d', defaults: {} });
    expect(bare.violations.map((v) => v.code)).toEqual([
      'missing-approvers',
      'missing-rollback',
      'not-canary',
    ]);
  });

  it('refuses a spec with a typo, naming the field', () => {
    const typo = importCatalog(
      [
        {
          file: 'typo.yaml',
          text: 'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objectve: 99\n    sli: {}\n',
        },
      ],
      { from: 'sloth', window: '30d', defaults },
    );
    expect(typo.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['slos[0].objectve']));
  });

  it('merges two files of one service and drops a repeated SLO name', () => {
    const twice = importCatalog(
      [read('sloth/complete.yaml'), { ...read('sloth/complete.yaml'), file: 'copy.yaml' }],
      {
        from: 'sloth',
        window: '30d',
        defaults,
      },
    );
    expect(twice.files.map((f) => f.name)).toEqual(['ledger.yaml']);
    expect(twice.reports.find((r) => r.file === 'copy.yaml')!.dropped[0]!.reason).toMatch(
      /already has an SLO/,
    );
  });
});

describe('importing OpenSLO v1 documents', () => {
  const result = importCatalog([read('openslo/shop.yaml')], { from: 'openslo', window: '30d', defaults });
  const shop = () => services(result).find((s) => s.name === 'web-shop')!;

  it('converts a referenced good/total SLI over counters into error and total rates', () => {
    expect(result.issues).toEqual([]);
    const availability = shop().slos.find((s) => s.name === 'availability')!;
    expect(availability).toMatchObject({ objective: 99.9, window: '28d' });
    expect(availability.sli.events.totalQuery).toBe(
      'sum(rate(http_requests_total{service="web-shop"}[{{.window}}]))',
    );
    expect(availability.sli.events.errorQuery).toBe(
      '(sum(rate(http_requests_total{service="web-shop"}[{{.window}}]))) - (sum(rate(http_requests_total{service="web-shop",code!~"5.."}[{{.window}}])))',
    );
  });

  it('converts a threshold on a latency histogram into slow and total requests', () => {
    const latency = shop().slos.find((s) => s.name === 'search-latency')!;
    expect(latency).toMatchObject({ objective: 99, window: '2w' });
    expect(latency.sli.events.errorQuery).toBe(
      'sum(rate(search_duration_seconds_count{service="web-shop"}[{{.window}}])) - sum(rate(search_duration_seconds_bucket{service="web-shop", le="0.5"}[{{.window}}]))',
    );
  });

  it('imports a calendar window as rolling and says so', () => {
    expect(shop().slos.find((s) => s.name === 'checkout-errors')!.window).toBe('7d');
    const report = result.reports.find((r) => r.name === 'checkout-errors')!;
    expect(report.dropped.map((d) => d.path)).toEqual(['spec.timeWindow[0].calendar']);
  });

  it('drops Timeslices budgeting, non-Prometheus sources and alert policies with their reasons', () => {
    const reasons = Object.fromEntries(
      result.reports.map((r) => [r.name, r.dropped.map((d) => d.reason).join('; ')]),
    );
    expect(reasons['uptime-sla']).toMatch(/Timeslices/);
    expect(reasons['payments-datadog']).toMatch(/Datadog/);
    expect(reasons['page-on-fast-burn']).toMatch(/alert policies/);
    expect(reasons['web-shop-availability']).toMatch(/alert policies/);
  });

  it('invents no service for an SLO that did not convert', () => {
    expect(result.files.map((f) => f.name)).toEqual(['web-shop.yaml']);
  });
});
