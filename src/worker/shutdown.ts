/**
 * On SIGTERM the worker stops polling and lets running activities finish this long before cancelling
 * them (Temporal retries a cancelled one on another worker). Below `npm start`'s 10 s stop timeout
 * (src/process/managed-process.ts); deploy/k8s/worker.yaml sets 45 s within a 60 s grace period.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;
