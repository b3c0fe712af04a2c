// Delivers one batch of notifications, apart from the workflow that produced them: started as an
// abandoned child, so a receiver that is down or slow never delays or fails an incident, and the
// delivery outlives an incident that ends meanwhile. Routes are delivered independently (a dead
// route holds up only itself); on each route the batch first waits (bounded) until the batch before
// it is done with that route, so every receiver sees a workflow's events in order. Never fails.
import { ActivityFailure, setHandler } from '@temporalio/workflow';
import type { NotificationEvent } from '../src/notify/events';
import { notificationRoutesDoneQuery } from './messages';
import { notifying, orderingNotifications } from './proxies';

export interface NotificationInput {
  service: string;
  events: NotificationEvent[];
  /** The workflow id of the batch before this one, if any. */
  after?: string;
}

export interface RouteResult {
  route: string;
  delivered: number;
  duplicates: number;
  undeliverable: number;
  error?: string;
}

export async function notificationWorkflow(input: NotificationInput): Promise<RouteResult[]> {
  const done: string[] = [];
  setHandler(notificationRoutesDoneQuery, () => done);
  const routes = await notifying.notificationRoutes({ service: input.service }).catch(ignoreFailure([]));
  return Promise.all(
    routes.map(async (route) => {
      const result = await deliverToRoute(input, route);
      done.push(route);
      return result;
    }),
  );
}

async function deliverToRoute(input: NotificationInput, route: string): Promise<RouteResult> {
  if (input.after) {
    await orderingNotifications
      .awaitNotificationRoute({ workflowId: input.after, route })
      .catch(ignoreFailure(undefined));
  }
  try {
    const report = await notifying.deliverNotifications({ events: input.events, route });
    return {
      route,
      delivered: report.delivered.length,
      duplicates: report.duplicates.length,
      undeliverable: report.undeliverable.length,
    };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return { route, delivered: 0, duplicates: 0, undeliverable: 0, error: err.cause?.message ?? err.message };
  }
}

/** An activity that failed for good: carry on with `fallback` (notifications never fail anything). */
function ignoreFailure<T>(fallback: T): (err: unknown) => T {
  return (err) => {
    if (!(err instanceof ActivityFailure)) throw err;
    return fallback;
  };
}
