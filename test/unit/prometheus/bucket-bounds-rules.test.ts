// The recording rules `rules generate` writes embed the SLI queries from the catalog model, so an integer
// bucket bound reaches them already normalised (src/catalog/mapping.ts): the recorded series match on
// Prometheus 3 (le="1.0") as on Prometheus 2 (le="1").
import { buildCatalog } from '../../../src/catalog/loader';
import { parseCatalogText } from '../../../src/catalog/parse';
import { generateRules } from '../../../src/rules/generate';

const YAML = `apiVersion: safedeploy/v1
kind: Service
metadata:
  name: batch-jobs
spec:
  slos:
    - name: duration
      objective: 95
      window: 30d
      sli:
        events:
          errorQuery: sum(rate(job_duration_seconds_count[{{.window}}])) - sum(rate(job_duration_seconds_bucket{le="1"}[{{.window}}]))
          totalQuery: sum(rate(job_duration_seconds_count[{{.window}}]))
`;

describe('recording rules over an integer bucket bound', () => {
  it('embed the matcher that matches both spellings', () => {
    const catalog = buildCatalog([parseCatalogText(YAML, 'latency.yaml')], 'latency');
    const exprs = generateRules(catalog, { part: 'short' }).groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBeGreaterThan(0);
    for (const expr of exprs) {
      expect(expr).toContain('job_duration_seconds_bucket{le=~"1|1[.]0"}[');
      expect(expr).not.toContain('le="1"');
    }
  });
});
