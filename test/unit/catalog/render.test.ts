// The `catalog validate` report as pure functions of a catalog (the binary is covered by cli.test.ts).
import { renderValidation, validationJson } from '../../../src/cli/commands/catalog';
import type { Catalog } from '../../../src/catalog/model';
import { changed, goodDocument, serviceOf } from './support';
import { DEFAULT_APPROVALS } from '../../../src/catalog/model';

const clean: Catalog = { services: [serviceOf(goodDocument())], violations: [] };

describe('catalog validate report', () => {
  it('a clean catalog is one summary line, singular where counts are one', () => {
    expect(renderValidation(clean)).toBe('1 service, 1 SLO; 0 policy violations\n');
  });

  it('violations follow the summary as an aligned table, then what they mean', () => {
    const catalog: Catalog = {
      services: [serviceOf(changed('spec.owner', undefined))],
      violations: [
        { service: 'checkout', code: 'missing-owner', message: 'no owner' },
        { service: 'search-api', code: 'not-canary', message: 'deployment strategy is rolling' },
      ],
    };
    expect(renderValidation(catalog)).toBe(
      [
        '1 service, 1 SLO; 2 policy violations',
        '',
        'SERVICE     CODE           MESSAGE',
        'checkout    missing-owner  no owner',
        'search-api  not-canary     deployment strategy is rolling',
        '',
        'The catalog is well-formed, but the gate denies these services until the violations are fixed.',
        '',
      ].join('\n'),
    );
  });

  it('the JSON summary leaves queries out and keeps where each service was declared', () => {
    expect(validationJson(clean)).toEqual({
      services: [
        {
          name: 'checkout',
          source: { file: 'checkout.yaml', document: 1 },
          owner: { team: 'payments', contact: 'payments-oncall@example.com' },
          approvers: ['alice', 'bob'],
          slos: [{ name: 'availability', objective: 99.9, window: '30d' }],
          deployment: { strategy: 'canary', rollout: { name: 'checkout', namespace: 'shop' } },
          rollback: {
            strategy: 'gitops',
            repo: { provider: 'github', owner: 'acme', name: 'env-prod', baseBranch: 'production' },
            manifest: 'apps/checkout/rollout.yaml',
            lookback: '24h',
          },
          governance: {
            freezeDuration: '12h',
            safetyMargin: 0.2,
            onNoData: 'hold',
            mode: 'enforce',
            approvals: DEFAULT_APPROVALS,
          },
        },
      ],
      violations: [],
    });
  });
});
