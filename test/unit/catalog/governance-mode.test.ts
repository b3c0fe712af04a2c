// governance.mode per service and the catalog-wide CatalogDefaults document: which mode each
// service ends up with, and bad values rejected with file and field.
import YAML from 'yaml';
import { CatalogError, formatIssue } from '../../../src/catalog/errors';
import { loadCatalog } from '../../../src/catalog/loader';
import { changed, issueLines, withCatalog } from './support';

const defaults = (mode?: unknown) =>
  YAML.stringify({
    apiVersion: 'safedeploy/v1',
    kind: 'CatalogDefaults',
    spec: { governance: mode === undefined ? {} : { mode } },
  });

const serviceText = (name: string, mode?: string) => {
  const doc = changed('metadata.name', name);
  const spec = doc.spec as { governance?: Record<string, unknown> };
  spec.governance = { ...(spec.governance ?? {}), ...(mode ? { mode } : {}) };
  return YAML.stringify(doc);
};

async function modes(files: Record<string, string>): Promise<Record<string, string>> {
  let result: Record<string, string> = {};
  await withCatalog(files, async (dir) => {
    const catalog = await loadCatalog(dir);
    result = Object.fromEntries(catalog.services.map((s) => [s.name, s.governance.mode]));
  });
  return result;
}

async function issues(files: Record<string, string>): Promise<string[]> {
  let lines: string[] = [];
  await withCatalog(files, async (dir) => {
    const error = await loadCatalog(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof CatalogError)) throw new Error('expected a CatalogError');
    lines = error.issues.map(formatIssue);
  });
  return lines;
}

describe('governance.mode', () => {
  it('a catalog that says nothing enforces, as before modes existed', async () => {
    expect(await modes({ 'a.yaml': serviceText('checkout') })).toEqual({ checkout: 'enforce' });
  });

  it.each(['shadow', 'advise', 'enforce'])('a service may set mode %s', async (mode) => {
    expect(await modes({ 'a.yaml': serviceText('checkout', mode) })).toEqual({ checkout: mode });
  });

  it('services without a mode take the CatalogDefaults mode from any file; their own mode wins', async () => {
    const files = {
      '00-defaults.yaml': defaults('shadow'),
      'a.yaml': `${serviceText('checkout')}---\n${serviceText('payments', 'enforce')}`,
      'b.yaml': serviceText('search', 'advise'),
    };
    expect(await modes(files)).toEqual({ checkout: 'shadow', payments: 'enforce', search: 'advise' });
  });

  it('a CatalogDefaults document after the services still applies (files are joined, then resolved)', async () => {
    expect(await modes({ 'a.yaml': serviceText('checkout'), 'z.yaml': defaults('advise') })).toEqual({
      checkout: 'advise',
    });
  });

  it('a CatalogDefaults document without a mode leaves services enforcing', async () => {
    expect(await modes({ 'a.yaml': `${defaults()}---\n${serviceText('checkout')}` })).toEqual({
      checkout: 'enforce',
    });
  });

  it('a bad service mode is rejected with file, document and field', () => {
    expect(issueLines(changed('spec.governance', { mode: 'warn' }))).toEqual([
      'checkout.yaml (document 1): spec.governance.mode: must be one of "shadow", "advise", "enforce"',
    ]);
  });

  it('a bad default mode is rejected with file, document and field', async () => {
    expect(await issues({ 'a.yaml': serviceText('checkout'), 'defaults.yaml': defaults('off') })).toEqual([
      'defaults.yaml (document 1): spec.governance.mode: must be one of "shadow", "advise", "enforce"',
    ]);
  });

  it('a CatalogDefaults document with an unknown field is rejected with a suggestion', async () => {
    const text = defaults('shadow').replace('mode: shadow', 'mode: shadow\n    safetyMargin: 0.2');
    expect(await issues({ 'a.yaml': serviceText('checkout'), 'defaults.yaml': text })).toEqual([
      'defaults.yaml (document 1): spec.governance.safetyMargin: unknown field (allowed: mode)',
    ]);
  });

  it('a second CatalogDefaults document is rejected, naming the first', async () => {
    const files = {
      'a.yaml': `${defaults('shadow')}---\n${serviceText('checkout')}`,
      'b.yaml': defaults('advise'),
    };
    expect(await issues(files)).toEqual([
      'b.yaml (document 1): kind: a second CatalogDefaults document; the catalog already has one in a.yaml (document 1)',
    ]);
  });
});
