// Integer bucket bounds match both spellings (Prometheus 3 stores le="1" as le="1.0"); nothing else moves.
import { normaliseBucketMatchers } from '../../../src/prometheus/bucket-bounds';

describe('normaliseBucketMatchers', () => {
  it.each([
    ['an integer le bound matches both spellings', 'x_bucket{le="1"}', 'x_bucket{le=~"1|1[.]0"}'],
    [
      'a bound already written 1.0 matches both',
      'x_bucket{job="a",le="1.0"}',
      'x_bucket{job="a",le=~"1|1[.]0"}',
    ],
    ['a negative matcher becomes a negative regex', 'x_bucket{le!="10"}', 'x_bucket{le!~"10|10[.]0"}'],
    ['spaces around the operator are kept', 'x{ le = "5" }', 'x{ le =~ "5|5[.]0" }'],
    ['summary quantiles are normalised too', 'rpc{quantile="1"}', 'rpc{quantile=~"1|1[.]0"}'],
    ['a fractional bound is left alone', 'x_bucket{le="0.3"}', 'x_bucket{le="0.3"}'],
    ['+Inf is left alone', 'x_bucket{le="+Inf"}', 'x_bucket{le="+Inf"}'],
    ['a regex matcher is left alone', 'x_bucket{le=~"1|2"}', 'x_bucket{le=~"1|2"}'],
    ['a longer label name is not le', 'x{handle="1"}', 'x{handle="1"}'],
    ['text inside a label value is not a matcher', 'x{path="le=\\"1\\""}', 'x{path="le=\\"1\\""}'],
    [
      'a UTF-8 metric name in quotes is left alone',
      '{"http.server.duration_bucket", le="2"}',
      '{"http.server.duration_bucket", le=~"2|2[.]0"}',
    ],
    [
      'every matcher of a latency query is rewritten',
      'sum(rate(a_count[{{.window}}])) - sum(rate(a_bucket{le="1"}[{{.window}}]))',
      'sum(rate(a_count[{{.window}}])) - sum(rate(a_bucket{le=~"1|1[.]0"}[{{.window}}]))',
    ],
  ])('%s', (_name, query, expected) => {
    expect(normaliseBucketMatchers(query)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = normaliseBucketMatchers('x_bucket{le="1"}');
    expect(normaliseBucketMatchers(once)).toBe(once);
  });
});
