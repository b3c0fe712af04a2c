// How the jest global setup hands the shared Temporal dev server to test files (environment variables, which
// jest workers inherit) and to the global teardown (a global, shared by setup and teardown only).
import type { TemporalDevServer } from '../../src/servers/temporal-dev-server';

export const HARNESS_ENV = {
  /** host:port of the Temporal frontend; set it before running jest to use an external server instead. */
  temporalAddress: 'SAFEDEPLOY_TEST_TEMPORAL_ADDRESS',
  temporalNamespace: 'SAFEDEPLOY_TEST_TEMPORAL_NAMESPACE',
} as const;

export interface HarnessState {
  temporal: TemporalDevServer;
  /** Temporary directory holding the dev server's SQLite database. */
  dir: string;
}

const STATE_KEY = Symbol.for('safedeploy.test.harness');

export function saveHarnessState(state: HarnessState): void {
  (globalThis as Record<symbol, unknown>)[STATE_KEY] = state;
}

export function takeHarnessState(): HarnessState | undefined {
  const store = globalThis as Record<symbol, unknown>;
  const state = store[STATE_KEY] as HarnessState | undefined;
  delete store[STATE_KEY];
  return state;
}
