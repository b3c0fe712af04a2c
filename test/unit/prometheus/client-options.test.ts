// Extra Prometheus headers from flags and PROMETHEUS_HEADERS; errors name the header, never its value.
import { parsePrometheusHeaders } from '../../../src/prometheus/client-options';

describe('parsePrometheusHeaders', () => {
  it('reads "Name: value" flags', () => {
    expect(parsePrometheusHeaders(['X-Scope-OrgID: team-a', 'X-Api-Key:k1'], undefined)).toEqual({
      'X-Scope-OrgID': 'team-a',
      'X-Api-Key': 'k1',
    });
  });
  it('reads PROMETHEUS_HEADERS entries separated by commas or newlines', () => {
    expect(parsePrometheusHeaders([], 'X-Scope-OrgID: a, X-B: b\nX-C: c:d')).toEqual({
      'X-Scope-OrgID': 'a',
      'X-B': 'b',
      'X-C': 'c:d',
    });
  });
  it('lets a flag override the variable, whatever the case of the name', () => {
    expect(parsePrometheusHeaders(['x-scope-orgid: flag'], 'X-Scope-OrgID: env')).toEqual({
      'x-scope-orgid': 'flag',
    });
  });
  it.each([
    ['no colon', 'X-Scope-OrgID team-a', /expected "Name: value"/],
    ['a name with a space', 'X Scope: secret-value', /expected "Name: value"/],
    ['an empty value', 'X-Scope-OrgID:', /needs a value/],
    ['a header the client sets', 'Content-Type: secret-value', /cannot be overridden/],
    ['credentials as a header', 'authorization: Bearer secret-value', /--prometheus-bearer-token-file/],
  ])('refuses %s without echoing the value', (_name, header, message) => {
    expect(() => parsePrometheusHeaders([header], undefined)).toThrow(message);
    try {
      parsePrometheusHeaders([header], undefined);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
