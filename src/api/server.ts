// The SafeDeploy HTTP API: a fastify instance over injected dependencies, so the `api` command and
// tests build the same server. Routes: /healthz and /metrics (no auth by default), /v1/* behind a
// bearer token. Authorization headers are redacted from logs; every JSON body is scrubbed of secrets.
import fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { redact } from '../evidence/redact';
import { DEFAULT_ALERT_INTAKE, type AlertIntakeOptions } from '../alerts/alertmanager';
import { UnknownServiceError } from '../operator/gate';
import { bearerAuth } from './auth';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';
import { payloadRedactor } from './redact-payload';
import { startPeriodicRefresh, type PeriodicRefresh } from './refresh';
import { actionRoutes } from './routes/actions';
import { alertmanagerRoutes } from './routes/alertmanager';
import { gateRoutes } from './routes/gate';
import { healthRoutes } from './routes/health';
import { incidentRoutes } from './routes/incidents';
import { servicesRoutes } from './routes/services';

export interface ApiServerOptions {
  /** The bearer token for /v1/*; undefined serves without authentication (--insecure-no-auth). */
  token?: string;
  /** Require the token on /metrics too (then Prometheus must send it). */
  protectMetrics?: boolean;
  /** Periodic metrics refresh; 0 or absent: only requests refresh them. */
  refreshIntervalMs?: number;
  /** false silences the log; a stream receives it as JSON lines (default stdout). */
  logger?: false | { level?: string; stream?: { write(line: string): void } };
  /** Further secret values never to appear in a response, e.g. a Temporal API key. */
  secrets?: readonly string[];
  /** How POST /v1/alertmanager maps alerts to services and which severities page. */
  alertIntake?: AlertIntakeOptions;
}

const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

export function buildApiServer(deps: ApiDeps, options: ApiServerOptions = {}): FastifyInstance {
  const logger =
    options.logger === false
      ? false
      : {
          level: options.logger?.level ?? 'info',
          redact: { paths: REDACTED_LOG_PATHS, censor: '[REDACTED]' },
          ...(options.logger?.stream ? { stream: options.logger.stream } : {}),
        };
  const app = fastify({ logger, requestTimeout: 30_000 });
  const secrets = [...(options.token ? [options.token] : []), ...(options.secrets ?? [])];
  const scrub = payloadRedactor(secrets);
  app.addHook('preSerialization', (_request, _reply, payload, done) => done(null, scrub(payload)));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` }),
  );
  const auth = options.token ? bearerAuth(options.token) : undefined;
  healthRoutes(app, deps, options.protectMetrics ? auth : undefined);
  void app.register(
    (v1, _options, done) => {
      if (auth) v1.addHook('onRequest', auth);
      gateRoutes(v1, deps);
      servicesRoutes(v1, deps);
      incidentRoutes(v1, deps);
      actionRoutes(v1, deps);
      alertmanagerRoutes(v1, deps, options.alertIntake ?? DEFAULT_ALERT_INTAKE);
      done();
    },
    { prefix: '/v1' },
  );
  manageLifecycle(app, deps, options.refreshIntervalMs ?? 0, secrets);
  return app;
}

function manageLifecycle(
  app: FastifyInstance,
  deps: ApiDeps,
  refreshIntervalMs: number,
  secrets: string[],
): void {
  // Refresh warnings quote dependency errors, which may carry a URL with credentials.
  const log = { warn: (message: string) => app.log.warn(redact(message, secrets)) };
  let refresh: PeriodicRefresh | undefined;
  app.addHook('onReady', (done) => {
    if (refreshIntervalMs > 0) refresh = startPeriodicRefresh(deps, refreshIntervalMs, log);
    done();
  });
  app.addHook('onClose', async () => {
    await refresh?.stop();
    // Every gate answer given is written before the process goes.
    await deps.gateLog
      ?.close()
      .catch((err: unknown) =>
        app.log.error(
          { error: redact(String(err), secrets), pending: deps.gateLog?.stats().pending },
          'gate answers not recorded at shutdown',
        ),
      );
    await deps.temporal.close();
  });
}

/** Client errors say what was wrong; server-side detail stays in the log. */
async function handleError(
  err: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  if (err instanceof UnknownServiceError) return reply.code(404).send({ error: err.message });
  const status = err instanceof ApiError ? err.statusCode : 'statusCode' in err ? err.statusCode : undefined;
  if (status !== undefined && status < 500) return reply.code(status).send({ error: err.message });
  if (err instanceof ApiError) {
    request.log.warn({ error: redact(err.message) }, 'dependency unavailable');
    return reply.code(err.statusCode).send({ error: err.message });
  }
  request.log.error({ err }, 'request failed');
  return reply.code(500).send({ error: 'internal error; the SafeDeploy API log has the details' });
}
