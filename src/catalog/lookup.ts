// Finding a service in a catalog by name. The gate looks one up on every call, in catalogs of up to
// 10,000 services: an index per catalog. A loaded catalog is not changed (a reload makes a new one);
// one built up in code is re-indexed when its length changes.
import type { Catalog, Service } from './model';

const indexes = new WeakMap<Catalog, Map<string, Service>>();

export function serviceNamed(catalog: Catalog, name: string): Service | undefined {
  let index = indexes.get(catalog);
  if (index?.size !== catalog.services.length) {
    index = new Map(catalog.services.map((s) => [s.name, s]));
    indexes.set(catalog, index);
  }
  return index.get(name);
}
