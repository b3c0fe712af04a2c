// Bearer-token authentication for /v1/*. Both sides are hashed before a constant-time comparison, so
// neither the token's content nor its length leaks through timing. The presented value is never
// logged or echoed: the 401 says only what was wrong.
import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const REALM = 'Bearer realm="safedeploy"';

export function bearerAuth(
  token: string,
): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const expected = digest(token);
  return async (request, reply) => {
    const presented = bearerToken(request.headers.authorization);
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return undefined;
    const problem =
      presented === undefined
        ? {
            challenge: REALM,
            error: 'authentication required: send a bearer token in the Authorization header',
          }
        : { challenge: `${REALM}, error="invalid_token"`, error: 'invalid bearer token' };
    // Responding from an async hook: send, then return the reply so fastify stops here.
    return reply.code(401).header('www-authenticate', problem.challenge).send({ error: problem.error });
  };
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer +([^ ]+) *$/i.exec(header ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
