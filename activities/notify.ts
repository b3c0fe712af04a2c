// Notification delivery as activities: which routes a service's events take, delivering a batch to
// one route (deduplicated by the audit stream `notifications`), and waiting until the batch before
// it is done with that route, so each receiver sees a workflow's events in order.
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import { loadCatalog } from '../src/catalog/loader';
import type { NotificationEvent } from '../src/notify/events';
import {
  deliverNotifications,
  notificationRoutes,
  type DeliveryDeps,
  type DeliveryReport,
} from '../src/notify/delivery';
import { NOTIFY_RETRY } from '../src/notify/retry';
import { notificationRoutesDoneQuery } from '../workflows/messages';
import type { ActivityDeps } from './index';

const ORDER_POLL_MS = 500;

export function createNotifyActivities({ store, catalogDir, secrets, notify, temporal }: ActivityDeps) {
  const deps: DeliveryDeps = {
    audit: store,
    config: notify,
    secrets: [...new Set([...secrets, ...notify.secrets])],
    ...(notify.timeoutMs ? { timeoutMs: notify.timeoutMs } : {}),
    // Read per batch (the catalog may change); a broken catalog leaves the default routes.
    serviceRoutes: async (service) => {
      const catalog = await loadCatalog(catalogDir).catch(() => undefined);
      return catalog?.services.find((s) => s.name === service)?.notifications;
    },
  };
  return {
    async notificationRoutes({ service }: { service: string }): Promise<string[]> {
      return notificationRoutes(deps, service);
    },

    async deliverNotifications({
      events,
      route,
    }: {
      events: NotificationEvent[];
      route: string;
    }): Promise<DeliveryReport> {
      const finalAttempt = Context.current().info.attempt >= NOTIFY_RETRY.maximumAttempts;
      const report = await deliverNotifications(deps, events, route, finalAttempt);
      if (report.pending.length > 0)
        throw ApplicationFailure.retryable(
          `not delivered yet: ${report.pending.map((p) => p.error).join('; ')}`,
          'NotificationPending',
        );
      return report;
    },

    /** Returns once the earlier batch is done with `route` (or has closed, or never existed). */
    async awaitNotificationRoute({
      workflowId,
      route,
    }: {
      workflowId: string;
      route: string;
    }): Promise<void> {
      const handle = temporal.workflow.getHandle(workflowId);
      for (;;) {
        const running = await handle.describe().then(
          (d) => d.status.name === 'RUNNING',
          () => false,
        );
        if (!running) return;
        const done = await handle.query(notificationRoutesDoneQuery).catch(() => [] as string[]);
        if (done.includes(route)) return;
        heartbeat();
        await Context.current().sleep(ORDER_POLL_MS);
      }
    },
  };
}
