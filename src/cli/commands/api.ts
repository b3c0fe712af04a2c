// `safedeploy api`: serves the HTTP API (gate for Argo Rollouts, read-only listings, /healthz,
// /metrics) until SIGTERM or SIGINT, then closes gracefully. /v1/* needs a bearer token unless the
// operator explicitly opts out with --insecure-no-auth.
import type { Command } from 'commander';
import { DEFAULT_ALERT_INTAKE, type AlertIntakeOptions } from '../../alerts/alertmanager';
import { createApiDeps, DEFAULT_GATE_MAX_AGE_MS } from '../../api/deps';
import { buildApiServer } from '../../api/server';
import { redact } from '../../evidence/redact';
import { dataDirDefault, envOr } from '../../config/env';
import { catalogFlag } from '../catalog-options';
import { temporalOptionsFromEnv, type TemporalOptions } from '../../temporal/connection';
import { databaseOption, DATABASE_URL_FLAG } from '../store-options';
import { CliError, EXIT } from '../errors';
import {
  addPrometheusOptions,
  prometheusClientOptions,
  readSecret,
  timeoutMs,
  type PrometheusFlags,
} from '../prometheus-options';
import { loadCatalogOrExit } from './catalog';
import { errorMessage } from '../../errors';

interface ApiFlags extends PrometheusFlags {
  listen: string;
  catalog: string;
  address?: string;
  namespace?: string;
  tokenFile?: string;
  insecureNoAuth?: boolean;
  protectMetrics?: boolean;
  refreshInterval: string;
  gateMaxAge?: string;
  timeout: string;
  dataDir: string;
  databaseUrl?: string;
  alertServiceLabel: string;
  alertPageSeverities: string;
}

const MIN_TOKEN_LENGTH = 16;

export function registerApiCommand(program: Command): void {
  const command = program
    .command('api')
    .description(
      'Serve the HTTP API: the promotion gate for Argo Rollouts, read-only listings, /healthz, /metrics',
    )
    .option(
      '--listen <host:port>',
      'address to listen on (env SAFEDEPLOY_API_LISTEN)',
      envOr('SAFEDEPLOY_API_LISTEN', '0.0.0.0:8080'),
    )
    .option(...catalogFlag());
  addPrometheusOptions(command)
    .option(
      '--data-dir <dir>',
      'data directory whose audit stream gate records every gate answer (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG)
    .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE, default "default")')
    .option(
      '--token-file <file>',
      'file holding the bearer token for /v1/* (default: env SAFEDEPLOY_API_TOKEN)',
    )
    .option('--insecure-no-auth', 'serve /v1/* without authentication (refused unless given)')
    .option('--protect-metrics', 'require the bearer token on /metrics too')
    .option(
      '--refresh-interval <duration>',
      'how often /metrics is refreshed from Prometheus and Temporal; 0 disables',
      '30s',
    )
    .option(
      '--gate-max-age <duration>',
      'how old the SLO evaluation and Temporal state behind a gate answer may be (default: the refresh interval; at most 2x it)',
    )
    .option(
      '--timeout <duration>',
      'bound on each Temporal read and each Prometheus request (retried once)',
      '3s',
    )
    .option(
      '--alert-service-label <label>',
      'POST /v1/alertmanager: the alert label naming the catalog service (env SAFEDEPLOY_ALERT_SERVICE_LABEL)',
      envOr('SAFEDEPLOY_ALERT_SERVICE_LABEL', DEFAULT_ALERT_INTAKE.serviceLabel),
    )
    .option(
      '--alert-page-severities <list>',
      'POST /v1/alertmanager: comma-separated severity label values that open an incident (env SAFEDEPLOY_ALERT_PAGE_SEVERITIES)',
      envOr('SAFEDEPLOY_ALERT_PAGE_SEVERITIES', DEFAULT_ALERT_INTAKE.pageSeverities.join(',')),
    )
    .addHelpText('after', HELP)
    .action(async (flags: ApiFlags) => {
      await runApi(flags);
    });
}

const HELP = `
Gate answers reuse one SLO evaluation and each service's Temporal state while they are at most
--gate-max-age old (answers carry evaluatedAt and dataAgeSeconds); past it the gate reads again, and
denies (fails closed) when that read fails.
/healthz and /metrics need no token (unless --protect-metrics): point Kubernetes liveness and
readiness probes at /healthz, which checks only the process, so a gate whose dependencies are down
keeps answering deny. Durations: 500ms, 3s, 30s, 1m. Stops gracefully on SIGTERM or SIGINT.`;

async function runApi(flags: ApiFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`safedeploy api: ${line}\n`);
  const listen = parseListen(flags.listen);
  const refreshMs = flags.refreshInterval === '0' ? 0 : ms('--refresh-interval', flags.refreshInterval);
  const timeoutMs = ms('--timeout', flags.timeout);
  const gateMaxAgeMs = gateMaxAge(flags.gateMaxAge, refreshMs);
  const intake = alertIntake(flags);
  const prometheus = await prometheusClientOptions(flags);
  const token = await readToken(flags.tokenFile);
  if (token === undefined && !flags.insecureNoAuth) {
    throw new CliError(
      'no API token: set SAFEDEPLOY_API_TOKEN or --token-file, or pass --insecure-no-auth to serve /v1/* to anyone',
    );
  }
  if (token === undefined) log('WARNING: --insecure-no-auth: /v1/* is served without authentication');
  const catalog = await loadCatalogOrExit(flags.catalog);
  const temporal = temporalOptions(flags);
  const deps = await createApiDeps({
    catalogDir: flags.catalog,
    catalog,
    prometheusUrl: prometheus.url,
    ...(prometheus.headers ? { prometheusHeaders: prometheus.headers } : {}),
    temporal,
    timeoutMs,
    processMetrics: true,
    dataDir: flags.dataDir,
    ...databaseOption(flags.databaseUrl),
    onGateLogError: (err) => log(`cannot record gate answers (retrying): ${redact(String(err))}`),
    gateMaxAgeMs,
  });
  const app = buildApiServer(deps, {
    ...(token ? { token } : {}),
    protectMetrics: flags.protectMetrics ?? false,
    refreshIntervalMs: refreshMs,
    secrets: [...secretsOf(temporal), ...Object.values(prometheus.headers ?? {})],
    alertIntake: intake,
  });
  const url = await app.listen(listen).catch(async (err: unknown) => {
    await app.close();
    throw new CliError(`cannot listen on ${flags.listen}: ${errorMessage(err)}`, EXIT.unavailable);
  });
  // The Prometheus URL may carry credentials (https://user:password@...): redacted.
  log(
    redact(
      `listening on ${url} (Temporal ${temporal.address}, namespace ${temporal.namespace}; Prometheus ${deps.prometheus.url})`,
    ),
  );
  const signal = await untilSignal();
  log(`${signal}: stopping`);
  await app.close();
  log('stopped');
}

/** Default: the refresh interval (30 s without one); never more than twice the refresh interval. */
export function gateMaxAge(flag: string | undefined, refreshMs: number): number {
  if (flag === undefined) return refreshMs > 0 ? refreshMs : DEFAULT_GATE_MAX_AGE_MS;
  const maxAgeMs = ms('--gate-max-age', flag);
  if (refreshMs > 0 && maxAgeMs > 2 * refreshMs)
    throw new CliError(
      `invalid --gate-max-age "${flag}": at most twice --refresh-interval (${(2 * refreshMs) / 1000}s)`,
    );
  return maxAgeMs;
}

function alertIntake(flags: ApiFlags): AlertIntakeOptions {
  const serviceLabel = flags.alertServiceLabel.trim();
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(serviceLabel))
    throw new CliError(
      `invalid --alert-service-label "${flags.alertServiceLabel}": expected a Prometheus label name`,
    );
  const pageSeverities = flags.alertPageSeverities
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (pageSeverities.length === 0)
    throw new CliError('--alert-page-severities must name at least one severity, e.g. page,critical');
  return { serviceLabel, pageSeverities };
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:]+)):(?<port>\d{1,5})$/.exec(text);
  const port = Number(match?.groups?.port);
  const host = match?.groups?.v6 ?? match?.groups?.host;
  if (!host || !(port >= 0 && port <= 65535)) {
    throw new CliError(`invalid --listen "${text}": expected host:port, e.g. 0.0.0.0:8080 or [::]:8080`);
  }
  return { host, port };
}

/** --token-file wins over SAFEDEPLOY_API_TOKEN; surrounding whitespace (a trailing newline) is dropped. */
async function readToken(file: string | undefined): Promise<string | undefined> {
  let token = process.env.SAFEDEPLOY_API_TOKEN;
  if (file !== undefined) token = await readSecret(file, '--token-file');
  token = token?.trim();
  if (token === undefined || token === '') return undefined;
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new CliError(
      `the API token must be at least ${MIN_TOKEN_LENGTH} characters without whitespace (e.g. openssl rand -hex 32)`,
    );
  }
  return token;
}

function temporalOptions(flags: ApiFlags): TemporalOptions {
  return temporalOptionsFromEnv({
    ...(flags.address ? { address: flags.address } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
}

function secretsOf(temporal: TemporalOptions): string[] {
  return temporal.apiKey ? [temporal.apiKey] : [];
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', on).off('SIGINT', on);
      resolve(signal);
    };
    process.once('SIGTERM', on).once('SIGINT', on);
  });
}

function ms(flag: string, value: string): number {
  return timeoutMs(flag, value);
}
