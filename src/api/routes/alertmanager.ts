// POST /v1/alertmanager: Alertmanager's webhook receiver. Paging alerts open the service's incident
// (or join the open one); the whole payload is validated first, so a malformed body, an unknown
// service or an oversized body is a 4xx with a reason and changes nothing. A dependency failure is a
// 503, which Alertmanager retries; a duplicate delivery from an HA pair is answered as a duplicate.
import type { FastifyInstance } from 'fastify';
import {
  parseWebhook,
  planAlerts,
  AlertIntakeError,
  type AlertIntakeOptions,
  type AlertPlan,
} from '../../alerts/alertmanager';
import { FleetUnavailableError, pageIncident } from '../../alerts/intake';
import { SeenAlerts } from '../../alerts/seen';
import type { ApiDeps } from '../deps';
import { ApiError, DependencyUnavailableError } from '../errors';
import { errorMessage } from '../../errors';

/** Alertmanager truncates large groups with max_alerts; 256 KiB holds hundreds of alerts. */
export const ALERTMANAGER_BODY_LIMIT = 256 * 1024;

export interface AlertResult {
  service: string;
  alertname: string;
  fingerprint: string;
  outcome: 'opened' | 'joined' | 'covered' | 'duplicate' | 'ignored';
  reason?: string;
  workflowId?: string;
}

export function alertmanagerRoutes(app: FastifyInstance, deps: ApiDeps, options: AlertIntakeOptions): void {
  const seen = new SeenAlerts();
  app.post('/alertmanager', { bodyLimit: ALERTMANAGER_BODY_LIMIT }, async (request) => {
    let plans: AlertPlan[];
    try {
      const payload = parseWebhook(request.body);
      plans = planAlerts(payload, deps.catalog.current().services, options, deps.now());
    } catch (err) {
      if (err instanceof AlertIntakeError) throw new ApiError(err.statusCode, err.message);
      throw err;
    }
    const results: AlertResult[] = [];
    for (const plan of plans) results.push(await handle(deps, seen, plan));
    request.log.info(
      { alerts: results.map((r) => `${r.service}:${r.outcome}`) },
      'alertmanager notification',
    );
    return { received: plans.length, results };
  });
}

async function handle(deps: ApiDeps, seen: SeenAlerts, plan: AlertPlan): Promise<AlertResult> {
  const base = {
    service: typeof plan.service === 'string' ? plan.service : plan.service.name,
    alertname: plan.alert.labels.alertname ?? '',
    fingerprint: plan.alert.fingerprint,
  };
  if (plan.action === 'ignore') return { ...base, outcome: 'ignored', reason: plan.reason };
  if (!seen.claim(plan.key, deps.now().getTime()))
    return { ...base, outcome: 'duplicate', reason: 'this alert episode was already received' };
  try {
    const page = await deps.temporal.withDeadline((client) =>
      pageIncident(client, plan.service.name, plan.alert, plan.observation),
    );
    return { ...base, ...page };
  } catch (err) {
    seen.release(plan.key); // Alertmanager retries on a 5xx: the retry must not count as a duplicate
    if (err instanceof FleetUnavailableError) throw new DependencyUnavailableError(err.message, err);
    throw new DependencyUnavailableError(
      `Temporal at ${deps.temporal.address} is unavailable: ${errorMessage(err)}`,
      err,
    );
  }
}
