// The recording rules `rules generate` writes embed the SLI queries from the catalog model, so an integer
// bucket bound reaches them already normalised (src/catalog/mapping.ts): the recorded series match on
// Prometheus 3 (le="1.0") as on Prometheus 2 (le="1").
import { generateRules } from '../../../src/rules/generate';
import { latencyCatalog } from '../../fixtures/latency-catalog';

describe('recording rules over an integer bucket bound', () => {
  it('embed the matcher that matches both spellings', () => {
    const catalog = latencyCatalog();
    const exprs = generateRules(catalog, { part: 'short' }).groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBeGreaterThan(0);
    for (const expr of exprs) {
      expect(expr).toContain('job_duration_seconds_bucket{le=~"1|1[.]0"}[');
      expect(expr).not.toContain('le="1"');
    }
  });
});
