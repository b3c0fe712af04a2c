import fastify, { type FastifyInstance } from 'fastify';
import { bearerAuth, bearerToken } from '../../../src/api/auth';

const TOKEN = 'unit-test-token-0123456789abcdef';

describe('reading a bearer token from the Authorization header', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['the Bearer scheme', `Bearer ${TOKEN}`, TOKEN],
    ['the scheme in any case', `bEaReR ${TOKEN}`, TOKEN],
    ['trailing spaces', `Bearer ${TOKEN}  `, TOKEN],
    ['no header', undefined, undefined],
    ['another scheme', `Basic ${TOKEN}`, undefined],
    ['the scheme alone', 'Bearer', undefined],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`, undefined],
  ])('%s', (_case, header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('the bearer-token hook', () => {
  let app: FastifyInstance;
  let url: string;

  // A real server rather than app.inject(): light-my-request needs an ESM-only package jest does not load.
  beforeAll(async () => {
    app = fastify();
    app.addHook('onRequest', bearerAuth(TOKEN));
    app.get('/v1/ping', (_request, reply) => reply.send({ pong: true }));
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(() => app.close());

  async function ask(authorization?: string) {
    const response = await fetch(`${url}/v1/ping`, { headers: authorization ? { authorization } : {} });
    return { statusCode: response.status, headers: response.headers, body: await response.text() };
  }

  it('lets the right token through', async () => {
    const response = await ask(`Bearer ${TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ pong: true });
  });

  it('challenges a request without a token', async () => {
    const response = await ask();
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="safedeploy"');
  });

  it.each([
    ['a different token of the same length', TOKEN.replace(/.$/, 'X')],
    ['an empty-looking token', '""'],
    ['a longer token', TOKEN + TOKEN],
  ])('refuses %s as invalid_token without echoing it', async (_case, token) => {
    const response = await ask(`Bearer ${token}`);
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="safedeploy", error="invalid_token"');
    expect(response.body).not.toContain(token);
  });
});
