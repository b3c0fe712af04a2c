// Activity proxies shared by the workflows: explicit timeouts and retry policies per kind of work.
// Activities are imported as types only; their code runs on the worker, never in the sandbox.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NOTIFY_ORDER_WAIT, NOTIFY_RETRY } from '../src/notify/retry';

/** Bad input and terminal provider answers must not be retried. */
const NON_RETRYABLE = ['GitOpsInputError', 'CatalogError'];

/** Evidence, audit and signalling: quick, retried until they succeed. */
export const recording = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Checking a human action's signature: quick; a worker that cannot answer refuses the action. */
export const verifying = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '5s', maximumAttempts: 5 },
});

/** Signalling the workflows a cycle changed: many calls for a large fleet, so it heartbeats. */
export const dispatching = proxyActivities<Activities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Reading Prometheus and the catalog: bounded retries, the next cycle tries again anyway. */
export const measuring = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  retry: {
    initialInterval: '1s',
    maximumInterval: '10s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
});

/** Git and GitHub: retried on transient errors; idempotent, so a retry after a crash converges. */
export const actuating = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '15s',
  retry: {
    initialInterval: '2s',
    maximumInterval: '1m',
    maximumAttempts: 20,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
});

/** Waiting on a pull request: long-running, heartbeating so a lost worker is noticed quickly. */
export const watching = proxyActivities<Activities>({
  startToCloseTimeout: '30d',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', maximumInterval: '1m', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Notifications: short, bounded retries; the notification workflow records what could not be sent. */
export const notifying = proxyActivities<Activities>({
  startToCloseTimeout: NOTIFY_RETRY.startToCloseTimeout,
  retry: {
    initialInterval: NOTIFY_RETRY.initialInterval,
    backoffCoefficient: NOTIFY_RETRY.backoffCoefficient,
    maximumInterval: NOTIFY_RETRY.maximumInterval,
    maximumAttempts: NOTIFY_RETRY.maximumAttempts,
  },
});

/** Waiting for the previous batch of notifications: once, bounded; on timeout the batch goes anyway. */
export const orderingNotifications = proxyActivities<Activities>({
  startToCloseTimeout: NOTIFY_ORDER_WAIT,
  heartbeatTimeout: '30s',
  retry: { maximumAttempts: 1 },
});
