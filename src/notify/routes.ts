// Where notifications go: named routes (Slack, signed webhook, PagerDuty) defined in one file outside
// the catalog, so secrets never sit next to services. The catalog names routes per service
// (`spec.notifications`); services that name none use the file's `default` routes.
// Secret values are read from files or environment variables the file names, never written in it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { durationSeconds, isDuration } from '../slo/windows';
import { errorMessage } from '../errors';

export const ROUTES_ENV = 'SAFEDEPLOY_NOTIFY_ROUTES';

const ROUTE_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const fileRef = z.string().min(1);
const envRef = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' });

const slackRoute = z.strictObject({
  type: z.literal('slack'),
  // The incoming-webhook URL carries its own credential: only by reference.
  urlFile: fileRef.optional(),
  urlEnv: envRef.optional(),
});
const webhookRoute = z.strictObject({
  type: z.literal('webhook'),
  url: httpUrl.optional(),
  urlFile: fileRef.optional(),
  urlEnv: envRef.optional(),
  secretFile: fileRef.optional(),
  secretEnv: envRef.optional(),
});
const pagerDutyRoute = z.strictObject({
  type: z.literal('pagerduty'),
  routingKeyFile: fileRef.optional(),
  routingKeyEnv: envRef.optional(),
  /** Events API base URL; PagerDuty's own by default (EU accounts use events.eu.pagerduty.com). */
  url: httpUrl.default('https://events.pagerduty.com'),
});

const routeSpec = z.discriminatedUnion('type', [slackRoute, webhookRoute, pagerDutyRoute]);

const routesFileSchema = z.strictObject({
  /** Base URL of the Temporal Web UI, for links to the incident's workflow. */
  webUi: httpUrl.optional(),
  namespace: z.string().min(1).default('default'),
  /** Per request; a receiver slower than this counts as down for that attempt. */
  timeout: z.string().refine(isDuration, { error: 'must be a duration such as 5s' }).default('5s'),
  /** Routes for services whose catalog entry names none. */
  default: z.array(z.string()).default([]),
  routes: z.record(
    z.string().regex(ROUTE_NAME, { error: 'route names are lowercase DNS labels' }),
    routeSpec,
  ),
});

export type RouteType = 'slack' | 'webhook' | 'pagerduty';

export type Route =
  | { name: string; type: 'slack'; url: string }
  | { name: string; type: 'webhook'; url: string; secret: string }
  | { name: string; type: 'pagerduty'; url: string; routingKey: string };

export interface NotifyConfig {
  routes: Map<string, Route>;
  defaultRoutes: string[];
  webUi?: string;
  namespace: string;
  /** Per request, in milliseconds. */
  timeoutMs?: number;
  /** Every secret value read (webhook URLs, signing secrets, routing keys), to redact everywhere. */
  secrets: string[];
}

export class NotifyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyConfigError';
  }
}

export const NO_ROUTES: NotifyConfig = {
  routes: new Map(),
  defaultRoutes: [],
  namespace: 'default',
  secrets: [],
};

/** $SAFEDEPLOY_NOTIFY_ROUTES, or no routes at all when it is unset. */
export async function notifyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<NotifyConfig> {
  const file = env[ROUTES_ENV];
  return file ? loadNotifyConfig(file, env) : NO_ROUTES;
}

export async function loadNotifyConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NotifyConfig> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new NotifyConfigError(`cannot read notification routes ${file}: ${errorMessage(err)}`);
  }
  const parsed = routesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NotifyConfigError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const spec = parsed.data;
  const dir = path.dirname(file);
  const secrets: string[] = [];
  const routes = new Map<string, Route>();
  for (const [name, r] of Object.entries(spec.routes)) {
    const at = `${file}: routes.${name}`;
    const secret = (what: string, fromFile?: string, fromEnv?: string) =>
      readSecret(at, what, dir, env, fromFile, fromEnv).then((v) => {
        secrets.push(v);
        return v;
      });
    if (r.type === 'slack')
      routes.set(name, { name, type: 'slack', url: await secret('url', r.urlFile, r.urlEnv) });
    else if (r.type === 'webhook') {
      const url = r.url ?? (await secret('url', r.urlFile, r.urlEnv));
      routes.set(name, {
        name,
        type: 'webhook',
        url,
        secret: await secret('secret', r.secretFile, r.secretEnv),
      });
    } else {
      const routingKey = await secret('routingKey', r.routingKeyFile, r.routingKeyEnv);
      routes.set(name, { name, type: 'pagerduty', url: r.url.replace(/\/+$/, ''), routingKey });
    }
  }
  for (const name of spec.default)
    if (!routes.has(name))
      throw new NotifyConfigError(`${file}: default names route "${name}", which is not defined`);
  return {
    routes,
    defaultRoutes: spec.default,
    ...(spec.webUi ? { webUi: spec.webUi.replace(/\/+$/, '') } : {}),
    namespace: spec.namespace,
    timeoutMs: durationSeconds(spec.timeout) * 1000,
    secrets,
  };
}

async function readSecret(
  at: string,
  what: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  fromFile?: string,
  fromEnv?: string,
): Promise<string> {
  if ((fromFile === undefined) === (fromEnv === undefined))
    throw new NotifyConfigError(`${at}: set exactly one of ${what}File and ${what}Env`);
  if (fromEnv !== undefined) {
    const value = env[fromEnv]?.trim();
    if (!value) throw new NotifyConfigError(`${at}: environment variable ${fromEnv} (${what}) is not set`);
    return value;
  }
  const full = path.resolve(dir, fromFile!);
  const value = (
    await readFile(full, 'utf8').catch(() => {
      throw new NotifyConfigError(`${at}: cannot read ${what}File ${full}`);
    })
  ).trim();
  if (value === '') throw new NotifyConfigError(`${at}: ${what}File ${full} is empty`);
  return value;
}

/** The routes a service's notifications take: its own, else the default ones. */
export function routesFor(config: NotifyConfig, serviceRoutes: readonly string[] | undefined): string[] {
  return serviceRoutes && serviceRoutes.length > 0 ? [...serviceRoutes] : config.defaultRoutes;
}
