import { gateQuery, incidentsQuery, parseQuery, proposalsQuery } from '../../../src/api/params';

const GOOD = { service: 'checkout', revision: 'sha-3f2a9c1' };

describe('gate query parameters', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a DNS label and a revision', GOOD],
    ['no revision', { service: 'checkout' }],
    ['a one-character service', { service: 'a' }],
    ['a 63-character service', { service: `a${'-b'.repeat(31)}` }],
    ['a revision of 200 printable characters', { ...GOOD, revision: ' ~'.repeat(100) }],
  ])('accepts %s', (_case, query) => {
    expect(parseQuery(gateQuery, query)).toEqual({ ...query, revision: query.revision });
  });

  it('treats an empty revision (an unset Argo Rollouts argument) as absent', () => {
    expect(parseQuery(gateQuery, { service: 'checkout', revision: '' })).toEqual({ service: 'checkout' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['the service is missing', { revision: 'x' }, 'missing query parameter "service"'],
    [
      'the service has capitals',
      { service: 'Checkout' },
      'invalid query parameter "service": must be a lowercase DNS label',
    ],
    [
      'the service starts with a hyphen',
      { service: '-checkout' },
      'invalid query parameter "service": must be a lowercase DNS label',
    ],
    [
      'the service has 64 characters',
      { service: 'a'.repeat(64) },
      'invalid query parameter "service": must be at most 63 characters',
    ],
    ['the service is repeated', { service: ['a', 'b'] }, 'query parameter "service" is given more than once'],
    [
      'the revision has 201 characters',
      { ...GOOD, revision: 'r'.repeat(201) },
      'invalid query parameter "revision": must be at most 200',
    ],
    [
      'the revision has a newline',
      { ...GOOD, revision: 'a\nb' },
      'invalid query parameter "revision": must be printable ASCII',
    ],
    [
      'the revision is not ASCII',
      { ...GOOD, revision: 'révision' },
      'invalid query parameter "revision": must be printable ASCII',
    ],
    ['a parameter is unknown', { ...GOOD, token: 'x' }, 'unknown query parameter "token"'],
  ])('refuses a query where %s, naming the parameter', (_case, query, message) => {
    expect(() => parseQuery(gateQuery, query)).toThrow(message);
    expect(() => parseQuery(gateQuery, query)).toThrow(expect.objectContaining({ statusCode: 400 }) as Error);
  });
});

describe('listing query parameters', () => {
  it('reads all=true and a limit for incidents', () => {
    expect(parseQuery(incidentsQuery, { service: 'checkout', all: 'true', limit: '25' })).toEqual({
      service: 'checkout',
      all: true,
      limit: 25,
    });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ all: '1' }, 'invalid query parameter "all": must be true or false'],
    [{ limit: '1001' }, 'invalid query parameter "limit": must be a whole number from 1 to 1000'],
    [{ limit: '-5' }, 'invalid query parameter "limit": must be a whole number from 1 to 1000'],
  ])('refuses incidents query %j', (query, message) => {
    expect(() => parseQuery(incidentsQuery, query)).toThrow(message);
  });

  it('accepts proposals for one service or all, and nothing else', () => {
    expect(parseQuery(proposalsQuery, {})).toEqual({});
    expect(parseQuery(proposalsQuery, { service: 'payments' })).toEqual({ service: 'payments' });
    expect(() => parseQuery(proposalsQuery, { all: 'true' })).toThrow('unknown query parameter "all"');
  });
});
