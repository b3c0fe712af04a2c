// Property tests for the SLO math: invariants that must hold for every measurement, not just the
// table cases.
import fc from 'fast-check';
import type { Slo } from '../../../src/catalog/model';
import { assessSlo, type RawMeasurement } from '../../../src/slo/assess';
import { severityRank } from '../../../src/slo/severity';
import { ALERT_WINDOWS } from '../../../src/slo/windows';

const WINDOWS = [...ALERT_WINDOWS, '30d'];
const objective = fc.constantFrom(90, 99, 99.5, 99.9, 99.95, 99.99);
const ratio = fc.double({ min: 0, max: 1, noNaN: true });
const maybeRatio = fc.option(ratio, { nil: null });
const ratios = fc.tuple(...WINDOWS.map(() => maybeRatio));

const slo = (o: number): Slo => ({
  name: 's',
  objective: o,
  window: '30d',
  sli: { events: { errorQuery: '{{.window}}', totalQuery: '{{.window}}' } },
});

function measurement(values: (number | null)[], total: number | null = 100): RawMeasurement {
  const m: RawMeasurement = { errors: {}, totals: {} };
  WINDOWS.forEach((w, i) => {
    const v = values[i] ?? null;
    m.errors[w] = v === null ? null : v * 100;
    m.totals[w] = total;
  });
  return m;
}

describe('SLO math properties', () => {
  it('without a total over the SLO window the severity is always no-data', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const m = measurement(values);
        m.totals['30d'] = null;
        expect(assessSlo(slo(o), m).severity).toBe('no-data');
      }),
    );
  });

  it('a spent budget is exhausted whatever the burn rates (exhausted takes precedence)', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const budget = 1 - o / 100;
        values[WINDOWS.length - 1] = Math.min(1, budget * 1.01);
        expect(assessSlo(slo(o), measurement(values)).severity).toBe('exhausted');
      }),
    );
  });

  it('more errors in every window never make the severity better', () => {
    fc.assert(
      fc.property(
        objective,
        fc.tuple(...WINDOWS.map(() => ratio)),
        fc.double({ min: 1, max: 50, noNaN: true }),
        (o, values, k) => {
          const before = assessSlo(slo(o), measurement(values)).severity;
          const after = assessSlo(slo(o), measurement(values.map((v) => Math.min(1, v * k)))).severity;
          expect(severityRank(after)).toBeGreaterThanOrEqual(severityRank(before));
        },
      ),
    );
  });

  it('a window without data reports null and never 0 (null is never treated as zero)', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const a = assessSlo(slo(o), measurement(values));
        WINDOWS.forEach((w, i) => {
          if (values[i] === null) expect(a.errorRatios[w]).toBeNull();
          else expect(a.errorRatios[w]).not.toBeNull();
        });
        ALERT_WINDOWS.forEach((w, i) => expect(a.burnRates[w] === null).toBe(values[i] === null));
      }),
    );
  });

  it('replacing missing windows with zero errors never changes a burning verdict into a different burning one', () => {
    // Missing data can hide a burn (fail-safe is the gate's no-data rule) but can never invent one.
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const withNulls = assessSlo(slo(o), measurement(values)).severity;
        const withZeros = assessSlo(slo(o), measurement(values.map((v) => v ?? 0))).severity;
        if (withNulls === 'fast-burn' || withNulls === 'slow-burn') {
          expect(severityRank(withZeros)).toBeGreaterThanOrEqual(severityRank(withNulls));
        }
      }),
    );
  });

  it('no traffic over the SLO window (0/0) is no-data, whatever the alert windows say', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const m = measurement(values);
        m.errors['30d'] = 0;
        m.totals['30d'] = 0;
        const a = assessSlo(slo(o), m);
        expect(a.severity).toBe('no-data');
        expect(a.errorRatios['30d']).toBeNull();
        expect(a.errorBudget.remaining).toBeNull();
      }),
    );
  });

  it('a window without traffic (0/0) has no burn rate, never a burn rate of 0', () => {
    fc.assert(
      fc.property(objective, (o) => {
        const a = assessSlo(
          slo(o),
          measurement(
            WINDOWS.map(() => 0),
            0,
          ),
        );
        expect(a.burnRates['5m']).toBeNull();
        expect(a.severity).toBe('no-data');
      }),
    );
  });

  it('an SLO with a failed query is no-data whatever its measurements say', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const m = { ...measurement(values), failed: true };
        expect(assessSlo(slo(o), m).severity).toBe('no-data');
      }),
    );
  });
});

describe('recorded ratios and raw rates', () => {
  it('the same ratios give the same assessment whether Prometheus recorded them or SafeDeploy divided', () => {
    fc.assert(
      fc.property(objective, ratios, (o, values) => {
        const raw = measurement(values);
        // errors / total exactly as the raw path divides them, so the comparison is bit for bit.
        const ratiosByWindow = Object.fromEntries(
          WINDOWS.map((w) => [w, raw.errors[w] == null ? null : raw.errors[w] / 100]),
        );
        const fromRaw = assessSlo(slo(o), raw);
        const fromRecorded = assessSlo(slo(o), { source: 'recorded', ratios: ratiosByWindow });
        expect(fromRecorded.source).toBe('recorded');
        expect({ ...fromRecorded, source: 'raw' }).toEqual(fromRaw);
      }),
    );
  });
});
