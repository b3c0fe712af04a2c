// `safedeploy catalog validate` end to end, through the built binary (bin/safedeploy.js → dist/), as an
// operator or a CI job runs it: exit 0 clean, 1 policy violations, 2 schema errors.
import path from 'node:path';
import YAML from 'yaml';
import { jsonOf, runCli } from '../../support/cli';
import { changed, withCatalog, GOOD_TEXT } from './support';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'catalog');

interface ValidateJson {
  services: {
    name: string;
    approvers: string[];
    slos: { name: string; objective: number; window: string }[];
  }[];
  violations: { service: string; code: string; message: string }[];
}

describe('safedeploy catalog validate', () => {
  it('a clean catalog prints its counts and exits 0', async () => {
    const result = await runCli(['catalog', 'validate', '--catalog', EXAMPLES]);
    expect(result).toEqual({ code: 0, stdout: '3 services, 4 SLOs; 0 policy violations\n', stderr: '' });
  });

  it('reads the catalog directory from SAFEDEPLOY_CATALOG when --catalog is not given', async () => {
    const result = await runCli(['catalog', 'validate', '--json'], { env: { SAFEDEPLOY_CATALOG: EXAMPLES } });
    expect(result.code).toBe(0);
    expect(jsonOf<ValidateJson>(result).services.map((s) => s.name)).toEqual([
      'payments',
      'search',
      'checkout',
    ]);
  });

  it('policy violations print a table and exit 1: the catalog is usable, the gate will deny', async () => {
    const files = {
      'checkout.yaml': YAML.stringify(changed('spec.approvers', [])),
      'search.yaml': searchWithRolling(),
    };
    await withCatalog(files, async (dir) => {
      const result = await runCli(['catalog', 'validate', '--catalog', dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('');
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('2 services, 2 SLOs; 2 policy violations');
      expect(lines[2]).toMatch(/^SERVICE\s+CODE\s+MESSAGE$/);
      expect(lines[3]).toMatch(/^checkout\s+missing-approvers\s+no approvers \(spec\.approvers\)/);
      expect(lines[4]).toMatch(/^search\s+not-canary\s+deployment strategy is rolling/);
    });
  });

  it('--json lists services and violations', async () => {
    await withCatalog(
      { 'checkout.yaml': YAML.stringify(changed('spec.rollback', undefined)) },
      async (dir) => {
        const result = await runCli(['catalog', 'validate', '--catalog', dir, '--json']);
        expect(result.code).toBe(1);
        const json = jsonOf<ValidateJson>(result);
        expect(json.services).toEqual([
          expect.objectContaining({
            name: 'checkout',
            approvers: ['alice', 'bob'],
            slos: [{ name: 'availability', objective: 99.9, window: '30d' }],
          }),
        ]);
        expect(json.violations).toEqual([
          {
            service: 'checkout',
            code: 'missing-rollback',
            message: 'no rollback definition (spec.rollback): a rollback could not be proposed',
          },
        ]);
      },
    );
  });

  it('schema errors print every issue on stderr, nothing on stdout, and exit 2', async () => {
    const files = {
      'checkout.yaml': YAML.stringify(changed('spec.slos.0.objective', 100)),
      'search.yaml': GOOD_TEXT.replace('name: checkout', 'name: search').replace(
        'window: 30d',
        'window: 30days',
      ),
    };
    await withCatalog(files, async (dir) => {
      const result = await runCli(['catalog', 'validate', '--catalog', dir, '--json']);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: [
          `safedeploy: catalog ${dir} has 2 errors:`,
          '  checkout.yaml (document 1): spec.slos[0].objective: must be greater than 0 and less than 100',
          '  search.yaml (document 1): spec.slos[0].window: must be a duration such as 30s, 15m, 24h, 30d or 1h30m (units y w d h m s ms, largest first, each once)',
          '',
        ].join('\n'),
      });
    });
  });

  it('a missing catalog directory exits 2 and says how to point at one', async () => {
    const missing = path.join(EXAMPLES, 'missing');
    const result = await runCli(['catalog', 'validate', '--catalog', missing]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `safedeploy: catalog directory ${missing} does not exist (use --catalog DIR or set SAFEDEPLOY_CATALOG)\n`,
    });
  });
});

function searchWithRolling(): string {
  const doc = changed('spec.deployment.strategy', 'rolling');
  (doc.metadata as { name: string }).name = 'search';
  return YAML.stringify(doc);
}
