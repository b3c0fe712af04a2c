// Finding a service by name, as the gate does on every call.
import { serviceNamed } from '../../../src/catalog/lookup';
import type { Catalog } from '../../../src/catalog/model';
import { serviceOf, goodDocument } from './support';

function catalogOf(names: string[]): Catalog {
  const template = serviceOf(goodDocument());
  return { services: names.map((name) => ({ ...template, name })), violations: [] };
}

describe('serviceNamed', () => {
  it('finds each service of a large catalog, and nothing else', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `svc-${i}`);
    const catalog = catalogOf(names);
    for (const name of ['svc-0', 'svc-5000', 'svc-9999'])
      expect(serviceNamed(catalog, name)?.name).toBe(name);
    expect(serviceNamed(catalog, 'svc-10000')).toBeUndefined();
  });

  it('sees a service added to a catalog built up in code', () => {
    const catalog = catalogOf(['checkout']);
    expect(serviceNamed(catalog, 'payments')).toBeUndefined();
    catalog.services.push({ ...catalog.services[0]!, name: 'payments' });
    expect(serviceNamed(catalog, 'payments')?.name).toBe('payments');
  });
});
