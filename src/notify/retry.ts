// How hard SafeDeploy tries to deliver a batch of notifications: a few quick attempts, then it gives
// up and records the batch as undeliverable. Shared by the workflow's retry policy and the activity,
// which must know when its attempt is the last one. Data only: workflows import it.
export const NOTIFY_RETRY = {
  maximumAttempts: 5,
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '20s',
  /** One attempt delivers a whole batch to every route; each request has its own short timeout. */
  startToCloseTimeout: '1m',
} as const;

/** How long a batch waits for the batch before it, so receivers see a workflow's events in order. */
export const NOTIFY_ORDER_WAIT = '3m';
