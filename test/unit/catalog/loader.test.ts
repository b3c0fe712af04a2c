// Loading a catalog directory: files and documents, issues collected across the whole catalog,
// duplicate names, empty and missing directories. Each test builds its own directory and removes it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { CatalogError } from '../../../src/catalog/errors';
import { loadCatalog } from '../../../src/catalog/loader';
import { changed, withCatalog, FIXTURES, GOOD_TEXT } from './support';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'catalog');

/** The message of the CatalogError that loading `dir` throws. */
async function loadError(dir: string): Promise<CatalogError> {
  const error: unknown = await loadCatalog(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CatalogError)) throw new Error(`expected a CatalogError, got ${String(error)}`);
  return error;
}

describe('loadCatalog', () => {
  it('the example catalog is well-formed and meets the policy', async () => {
    const catalog = await loadCatalog(EXAMPLES);
    expect(catalog.services.map((s) => `${s.source.file}#${s.source.document} ${s.name}`)).toEqual([
      'backend.yml#1 payments',
      'backend.yml#2 search',
      'checkout.yaml#1 checkout',
    ]);
    expect(
      catalog.services.flatMap((s) => s.slos.map((slo) => `${s.name}/${slo.name} ${slo.objective}`)),
    ).toEqual([
      'payments/availability 99.99',
      'search/availability 99',
      'checkout/availability 99.9',
      'checkout/latency 99',
    ]);
    expect(catalog.violations).toEqual([]);
  });

  it('several documents per file are read in order, skipping empty ones; other files are ignored', async () => {
    const catalog = await loadCatalog(path.join(FIXTURES, 'multi'));
    expect(catalog.services.map((s) => [s.name, s.source])).toEqual([
      ['checkout', { file: 'checkout.yml', document: 1 }],
      ['cart', { file: 'shop.yaml', document: 1 }],
      ['wishlist', { file: 'shop.yaml', document: 3 }],
    ]);
    expect(catalog.violations.map((v) => `${v.service}/${v.code}`)).toEqual([
      'wishlist/missing-slos',
      'wishlist/missing-rollback',
      'wishlist/not-canary',
    ]);
    expect(await readdir(path.join(FIXTURES, 'multi'))).toContain('zz-notes.txt');
  });

  it('a service declared in two files is an error naming both places', async () => {
    const error = await loadError(path.join(FIXTURES, 'duplicate'));
    expect(error.message).toBe(
      'b.yaml (document 1): metadata.name: duplicate service name "checkout", already declared in a.yaml (document 1)',
    );
  });

  it('malformed YAML is reported with its line and column', async () => {
    const broken = GOOD_TEXT.replace('approvers: [alice, bob]', 'approvers: alice: bob');
    await withCatalog({ 'checkout.yaml': broken }, async (dir) => {
      const error = await loadError(dir);
      expect(error.message).toBe(
        'checkout.yaml (document 1): line 9, column 14: Nested mappings are not allowed in compact mappings',
      );
      expect(error.issues).toEqual([
        expect.objectContaining({ file: 'checkout.yaml', document: 1, line: 9, column: 14 }),
      ]);
    });
  });

  it('a key given twice in one mapping is a YAML error, not a silent override', async () => {
    await withCatalog(
      { 'checkout.yaml': GOOD_TEXT.replace('kind: Service\n', 'kind: Service\nkind: Service\n') },
      async (dir) => {
        expect((await loadError(dir)).message).toBe(
          'checkout.yaml (document 1): line 5, column 1: Map keys must be unique',
        );
      },
    );
  });

  it('every issue in every file is reported at once, sorted by file and document', async () => {
    const files = {
      'c.yaml': YAML.stringify(changed('spec.slos.0.objective', 100)),
      'b.yaml': `${GOOD_TEXT}---\n${GOOD_TEXT}`,
      'a.yaml': YAML.stringify(changed('metadata.name', 'Search')),
    };
    await withCatalog(files, async (dir) => {
      expect((await loadError(dir)).message.split('\n')).toEqual([
        'a.yaml (document 1): metadata.name: must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit',
        'b.yaml (document 2): metadata.name: duplicate service name "checkout", already declared in b.yaml (document 1)',
        'c.yaml (document 1): spec.slos[0].objective: must be greater than 0 and less than 100',
      ]);
    });
  });

  it('a broken document does not hide a valid one after it in the same file', async () => {
    const text = `${YAML.stringify(changed('spec.slos.0.window', '30days'))}---\n${GOOD_TEXT.replace('name: checkout', 'name: cart')}`;
    await withCatalog({ 'shop.yaml': text }, async (dir) => {
      const error = await loadError(dir);
      expect(error.issues).toEqual([
        {
          file: 'shop.yaml',
          document: 1,
          path: 'spec.slos[0].window',
          reason:
            'must be a duration such as 30s, 15m, 24h, 30d or 1h30m (units y w d h m s ms, largest first, each once)',
        },
      ]);
    });
  });

  it('an unresolved YAML alias is an issue of its document', async () => {
    await withCatalog(
      { 'checkout.yaml': GOOD_TEXT.replace('approvers: [alice, bob]', 'approvers: *team') },
      async (dir) => {
        expect((await loadError(dir)).message).toMatch(/^checkout\.yaml \(document 1\): .*alias/i);
      },
    );
  });

  it('a missing directory is a clear error', async () => {
    const missing = path.join(FIXTURES, 'no-such-catalog');
    expect((await loadError(missing)).message).toBe(`catalog directory ${missing} does not exist`);
  });

  it('a file given as the catalog directory is a clear error', async () => {
    const file = path.join(FIXTURES, 'good', 'checkout.yaml');
    expect((await loadError(file)).message).toBe(`catalog path ${file} is not a directory`);
  });

  it('a directory without YAML files is a clear error', async () => {
    await withCatalog({ 'README.md': '# catalog\n', '.hidden.yaml': GOOD_TEXT }, async (dir) => {
      expect((await loadError(dir)).message).toBe(`no *.yaml or *.yml files in catalog directory ${dir}`);
    });
  });

  it('YAML files holding only comments and empty documents are an empty catalog, which is an error', async () => {
    await withCatalog({ 'placeholder.yaml': '# services go here\n---\n' }, async (dir) => {
      expect((await loadError(dir)).message).toBe(`catalog directory ${dir} holds no Service documents`);
    });
  });
});
