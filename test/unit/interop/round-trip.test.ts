// `catalog export --to openslo` followed by `catalog import --from openslo` keeps every SLO's meaning:
// its name, objective, window length and both queries.
import fc from 'fast-check';
import { DEFAULT_GOVERNANCE, type Service } from '../../../src/catalog/model';
import { parseCatalogText } from '../../../src/catalog/parse';
import { importCatalog } from '../../../src/interop/import';
import { exportOpenSlo } from '../../../src/interop/to-openslo';
import { durationSeconds } from '../../../src/slo/windows';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/).filter((s) => !s.includes('--'));
const window = fc.constantFrom('5m', '1h30m', '1d', '7d', '28d', '30d', '2w', '90d', '1y');
const objective = fc.integer({ min: 1, max: 999_999 }).map((n) => n / 10_000);
/** PromQL of the usual event shapes, with label values holding any text (quotes, braces, newlines escaped). */
const metric = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/);
const labelValue = fc.string({ maxLength: 20 }).map((v) => JSON.stringify(v));
const selector = fc.tuple(metric, labelValue).map(([m, v]) => `${m}{service=${v}}`);
const query = fc.oneof(
  selector.map((s) => `sum(rate(${s}[{{.window}}]))`),
  fc.tuple(selector, selector).map(([a, b]) => `sum(rate(${a}[{{.window}}])) - sum(rate(${b}[{{.window}}]))`),
  selector.map((s) => `sum(increase(${s}[{{.window}}]))`),
);
const slo = fc.record({ name: label, objective, window, errorQuery: query, totalQuery: query });
const service = fc.record({
  name: label,
  slos: fc.uniqueArray(slo, { minLength: 1, maxLength: 4, selector: (s) => s.name }),
});
type GeneratedService = {
  name: string;
  slos: { name: string; objective: number; window: string; errorQuery: string; totalQuery: string }[];
};
const services = fc.uniqueArray(service, { minLength: 1, maxLength: 4, selector: (s) => s.name });

function toModel(input: GeneratedService): Service {
  return {
    name: input.name,
    approvers: [],
    governance: { ...DEFAULT_GOVERNANCE },
    source: { file: 'x.yaml', document: 1 },
    slos: input.slos.map((s) => ({
      name: s.name,
      objective: s.objective,
      window: s.window,
      sli: { events: { errorQuery: s.errorQuery, totalQuery: s.totalQuery } },
    })),
  };
}

const meaning = (s: Service) =>
  s.slos.map((slo) => ({
    service: s.name,
    name: slo.name,
    objective: slo.objective,
    seconds: durationSeconds(slo.window),
    errorQuery: slo.sli.events.errorQuery,
    totalQuery: slo.sli.events.totalQuery,
  }));

describe('OpenSLO export and import', () => {
  it('round-trips every SLO with its meaning', () => {
    fc.assert(
      fc.property(services, (generated) => {
        const catalog = generated.map(toModel);
        const exported = exportOpenSlo(catalog);
        expect(exported.skipped).toEqual([]);
        const result = importCatalog([{ file: 'openslo.yaml', text: exported.text }], {
          from: 'openslo',
          window: '30d',
          defaults: {},
        });
        expect(result.issues).toEqual([]);
        expect(result.reports.flatMap((r) => r.dropped)).toEqual([]);
        const imported = result.files.flatMap((f) => parseCatalogText(f.text, f.name).services);
        expect(imported.flatMap(meaning)).toEqual(catalog.flatMap(meaning));
      }),
      { numRuns: 100 },
    );
  });
});
