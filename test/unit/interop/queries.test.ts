// Foreign PromQL becomes event queries only where the meaning is certain.
import { counterEventsQuery, histogramThresholdEvents, parseSelector } from '../../../src/interop/queries';
import { fromShorthand, toShorthand } from '../../../src/interop/durations';

describe('counter queries', () => {
  it.each([
    ['a query with {{.window}} is kept', 'sum(rate(x[{{.window}}]))', 'sum(rate(x[{{.window}}]))'],
    ['a bare selector becomes its rate', 'x_total{a="b"}', 'sum(rate(x_total{a="b"}[{{.window}}]))'],
    [
      'sum(selector) becomes the sum of rates',
      'sum(x_total{a="}{"})',
      'sum(rate(x_total{a="}{"}[{{.window}}]))',
    ],
    ['a name-only selector works', '{__name__="x"}', 'sum(rate({__name__="x"}[{{.window}}]))'],
  ])('%s', (_name, query, expected) => {
    expect(counterEventsQuery(query)).toMatchObject({ query: expected });
  });

  it.each([
    ['a query with its own range', 'sum(rate(x[5m]))'],
    ['an arithmetic query', 'x - y'],
    ['an aggregation by label', 'sum by (code) (x)'],
  ])('refuses %s', (_name, query) => {
    expect(counterEventsQuery(query)).toHaveProperty('problem');
  });
});

describe('thresholds on histograms', () => {
  it('counts requests above the bound as errors for lte', () => {
    expect(histogramThresholdEvents('lat_seconds_bucket{job="a"}', 'lte', 1)).toMatchObject({
      errorQuery:
        'sum(rate(lat_seconds_count{job="a"}[{{.window}}])) - sum(rate(lat_seconds_bucket{job="a", le="1"}[{{.window}}]))',
      totalQuery: 'sum(rate(lat_seconds_count{job="a"}[{{.window}}]))',
    });
  });
  it('counts requests at most the bound as errors for gte, and notes that gt reads as gte', () => {
    const result = histogramThresholdEvents('lat_seconds', 'gt', 0.25);
    expect(result).toMatchObject({ errorQuery: 'sum(rate(lat_seconds_bucket{le="0.25"}[{{.window}}]))' });
    expect('notes' in result && result.notes.join()).toMatch(/"gt" read as "gte"/);
  });
  it('refuses a threshold on anything but a histogram selector', () => {
    expect(histogramThresholdEvents('histogram_quantile(0.99, x)', 'lt', 1)).toHaveProperty('problem');
  });
  it('parses selectors with quoted braces', () => {
    expect(parseSelector('x{a="{"}')).toEqual({ name: 'x', matchers: '{a="{"}' });
  });
});

describe('OpenSLO durations', () => {
  it.each([
    ['28d', '28d'],
    ['2w', '2w'],
    ['90m', '90m'],
    ['1Y', '1y'],
  ])('%s is the Prometheus duration %s', (shorthand, window) => {
    expect(fromShorthand(shorthand)).toEqual({ window });
  });
  it.each(['1M', '1Q', '0d', '5 days'])('%s has no fixed Prometheus duration', (shorthand) => {
    expect(fromShorthand(shorthand)).toHaveProperty('problem');
  });
  it.each([
    ['30d', '30d'],
    ['1h30m', '90m'],
    ['2w', '14d'],
    ['1y', '365d'],
  ])('exports %s as %s', (window, shorthand) => {
    expect(toShorthand(window)).toBe(shorthand);
  });
  it('cannot export a window below a minute', () => expect(toShorthand('90s')).toBeUndefined());
});
