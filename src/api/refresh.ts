// Keeps /metrics current between requests: every interval, reload the catalog, evaluate the fleet's
// SLOs and read open incidents and active freezes from Temporal. Runs never overlap; a failed read is
// logged and its metrics cleared (never left stale), and the next run tries again.
import { listFreezes, listIncidents } from '../operator/incidents';
import { errorMessage } from '../errors';
import type { ApiDeps } from './deps';

export interface RefreshLog {
  warn(message: string): void;
}

export async function refreshOnce(deps: ApiDeps, log: RefreshLog): Promise<void> {
  await deps.catalog.reload().catch((err: unknown) => {
    log.warn(`catalog reload failed, keeping the last valid catalog: ${errorMessage(err)}`);
  });
  const evaluated = await deps.fleet.evaluate(deps.now()).then(
    () => true,
    (err: unknown) => (log.warn(`fleet evaluation failed: ${errorMessage(err)}`), false),
  );
  deps.metrics.dependency('prometheus', evaluated);
  try {
    const [incidents, freezes] = await deps.temporal.withDeadline((client) =>
      Promise.all([listIncidents(client), listFreezes(client)]),
    );
    const services = deps.catalog.current().services.map((s) => s.name);
    deps.metrics.recordTemporalState(services, incidents, freezes.filter((f) => f.state === 'frozen').length);
    deps.metrics.dependency('temporal', true);
  } catch (err) {
    log.warn(`reading incidents and freezes from Temporal failed: ${errorMessage(err)}`);
    deps.metrics.clearTemporalState();
    deps.metrics.dependency('temporal', false);
  }
}

export interface PeriodicRefresh {
  stop(): Promise<void>;
}

/**
 * Refreshes now, then every `intervalMs` from the start of the previous run (at once if a run took
 * longer): evaluations start on a fixed rate, so the gate's shared evaluation ages predictably and
 * gate calls past its bound join the refresh's evaluation in flight instead of starting their own.
 */
export function startPeriodicRefresh(deps: ApiDeps, intervalMs: number, log: RefreshLog): PeriodicRefresh {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    const started = Date.now();
    running = refreshOnce(deps, log)
      .catch((err: unknown) => log.warn(`refresh failed: ${errorMessage(err)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, Math.max(0, started + intervalMs - Date.now()));
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
