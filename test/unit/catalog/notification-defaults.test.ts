// Notification routes in the catalog: a service's own `spec.notifications`, else the CatalogDefaults
// document's, else none (the routes file's `default` then applies, see src/notify/routes.ts).
import YAML from 'yaml';
import { loadCatalog } from '../../../src/catalog/loader';
import { changed, withCatalog } from './support';

const defaults = (notifications?: string[]) =>
  YAML.stringify({
    apiVersion: 'safedeploy/v1',
    kind: 'CatalogDefaults',
    spec: notifications ? { notifications } : {},
  });

const serviceText = (name: string, notifications?: string[]) => {
  const doc = changed('metadata.name', name);
  if (notifications) (doc.spec as Record<string, unknown>).notifications = notifications;
  return YAML.stringify(doc);
};

async function routes(files: Record<string, string>): Promise<Record<string, string[] | undefined>> {
  let result: Record<string, string[] | undefined> = {};
  await withCatalog(files, async (dir) => {
    const catalog = await loadCatalog(dir);
    result = Object.fromEntries(catalog.services.map((s) => [s.name, s.notifications]));
  });
  return result;
}

describe('notification routes in the catalog', () => {
  it('a service keeps its own routes; one without takes the catalog default', async () => {
    expect(
      await routes({
        'defaults.yaml': defaults(['oncall-slack']),
        'a.yaml': serviceText('checkout', ['pager']),
        'b.yaml': serviceText('cart'),
      }),
    ).toEqual({ checkout: ['pager'], cart: ['oncall-slack'] });
  });

  it('without a catalog default a service has none (the routes file decides)', async () => {
    expect(await routes({ 'defaults.yaml': defaults(), 'b.yaml': serviceText('cart') })).toEqual({
      cart: undefined,
    });
  });
});
