// Unauthenticated by default: /healthz for Kubernetes probes (it checks nothing outside the process,
// because a gate that cannot reach its dependencies must still answer deny rather than disappear),
// and /metrics for Prometheus to scrape. `protectMetrics` puts /metrics behind the bearer token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../deps';

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function healthRoutes(app: FastifyInstance, deps: ApiDeps, metricsAuth?: Hook): void {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/metrics', { ...(metricsAuth ? { onRequest: metricsAuth } : {}) }, async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}
