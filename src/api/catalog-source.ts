// The catalog the API answers from. It is reloaded by the periodic refresh, so a changed ConfigMap is
// picked up without a restart; a reload that fails keeps the last valid catalog (and is logged), so a
// bad edit never turns the gate into a 404 for every service.
import { loadCatalog } from '../catalog/loader';
import type { Catalog } from '../catalog/model';

export class CatalogSource {
  constructor(
    readonly dir: string,
    private catalog: Catalog,
  ) {}

  /** Loads `dir` once; a CatalogError here stops the API from starting. */
  static async load(dir: string): Promise<CatalogSource> {
    return new CatalogSource(dir, await loadCatalog(dir));
  }

  current(): Catalog {
    return this.catalog;
  }

  async reload(): Promise<void> {
    this.catalog = await loadCatalog(this.dir);
  }
}
