// Delivers a batch of notifications to every route of their service, exactly once per event and
// route: what was delivered is recorded in the audit stream `notifications` (eventId
// `<event id>@<route>`) and skipped on a retry or after a worker restart. Per route, events go out
// in order: after a failure the route's later events wait for the next attempt.
import { redact } from '../evidence/redact';
import type { AuditStore } from '../store/store';
import type { NotificationEvent } from './events';
import { routesFor, type NotifyConfig, type Route } from './routes';
import { NotificationSendError, routeHandles, sendNotification } from './send';
import { errorMessage } from '../errors';

export interface DeliveryDeps {
  /** Where deliveries are recorded (files or PostgreSQL). */
  audit: AuditStore;
  config: NotifyConfig;
  /** The routes a service's catalog entry names (undefined: none, or the service is unknown). */
  serviceRoutes(service: string): Promise<readonly string[] | undefined>;
  /** Credential values to redact from audit records and errors. */
  secrets: readonly string[];
  timeoutMs?: number;
}

export interface DeliveryReport {
  delivered: string[];
  /** Already delivered by an earlier attempt. */
  duplicates: string[];
  /** Given up for good: the receiver refused the request, the route is unknown, or retries ran out. */
  undeliverable: { delivery: string; error: string }[];
  /** Still to retry. */
  pending: { delivery: string; error: string }[];
}

export const deliveryId = (event: NotificationEvent, route: string) => `${event.id}@${route}`;

/** The routes a service's notifications take: its catalog entry's, else the default ones. */
export async function notificationRoutes(deps: DeliveryDeps, service: string): Promise<string[]> {
  if (deps.config.routes.size === 0) return [];
  return routesFor(deps.config, await deps.serviceRoutes(service));
}

/**
 * Delivers `events` to one route, in order.
 * @param finalAttempt on the last attempt a retryable failure is recorded as undeliverable too.
 */
export async function deliverNotifications(
  deps: DeliveryDeps,
  events: readonly NotificationEvent[],
  route: string,
  finalAttempt: boolean,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: [], duplicates: [], undeliverable: [], pending: [] };
  if (events.length === 0) return report;
  const done = await deps.audit.recordedEventIds(
    'notifications',
    events.map((event) => deliveryId(event, route)),
  );
  await deliverToRoute(deps, route, events, done, finalAttempt, report);
  return report;
}

async function deliverToRoute(
  deps: DeliveryDeps,
  name: string,
  events: readonly NotificationEvent[],
  done: Set<string>,
  finalAttempt: boolean,
  report: DeliveryReport,
): Promise<void> {
  const route = deps.config.routes.get(name);
  for (const event of events) {
    const delivery = deliveryId(event, name);
    if (done.has(delivery)) {
      report.duplicates.push(delivery);
      continue;
    }
    if (!route) {
      await giveUp(deps, event, name, undefined, `no notification route named "${name}" is defined`, report);
      continue;
    }
    if (!routeHandles(route, event)) continue;
    try {
      await sendNotification(route, event, {
        ...links(deps.config),
        ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
      });
    } catch (err) {
      const error = redact(errorMessage(err), deps.secrets);
      const permanent = err instanceof NotificationSendError && !err.retryable;
      if (permanent || finalAttempt) {
        await giveUp(deps, event, name, route, permanent ? error : `${error}; retries exhausted`, report);
        continue;
      }
      report.pending.push({ delivery, error });
      return; // later events to this route wait, so receivers see them in order
    }
    await record(deps, event, name, route, { type: 'delivered' });
    done.add(delivery);
    report.delivered.push(delivery);
  }
}

async function giveUp(
  deps: DeliveryDeps,
  event: NotificationEvent,
  name: string,
  route: Route | undefined,
  error: string,
  report: DeliveryReport,
): Promise<void> {
  await record(deps, event, name, route, { type: 'undeliverable', error });
  report.undeliverable.push({ delivery: deliveryId(event, name), error });
}

/** The audit line names the route, never its URL or key. */
function record(
  deps: DeliveryDeps,
  event: NotificationEvent,
  name: string,
  route: Route | undefined,
  outcome: Record<string, unknown>,
): Promise<number> {
  return deps.audit.appendAudit(
    'notifications',
    [
      {
        eventId: deliveryId(event, name),
        at: new Date().toISOString(),
        ...outcome,
        notification: event.id,
        kind: event.kind,
        service: event.service,
        incidentId: event.incident?.id ?? null,
        route: name,
        routeType: route?.type ?? null,
      },
    ],
    deps.secrets,
  );
}

function links(config: NotifyConfig): { webUi?: string; namespace: string } {
  return { ...(config.webUi ? { webUi: config.webUi } : {}), namespace: config.namespace };
}
