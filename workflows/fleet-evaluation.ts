// The periodic fleet evaluation: measure every SLI (one activity, batched queries), decide what
// changed (pure), signal-with-start the affected incident and freeze workflows (one activity), then
// sleep on a durable timer. It remembers what it last saw per service and continues-as-new before
// its history grows large.
import {
  continueAsNew,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
  ActivityFailure,
} from '@temporalio/workflow';
import { planFleetActions, readLastSeen } from '../src/evaluation/fleet-plan';
import { normalObservation } from '../src/evaluation/observation';
import { activityFailureText } from '../src/errors';
import { dispatching, measuring } from './proxies';
import type { LastSeen } from '../src/evaluation/fleet-plan';
import { fleetQuery, reobserveSignal, type FleetEvaluationInput, type FleetView } from './messages';

/** Continue-as-new after this many cycles even if the server does not suggest it yet. */
const MAX_CYCLES_PER_RUN = 500;

export async function fleetEvaluationWorkflow(input: FleetEvaluationInput): Promise<never> {
  const view: FleetView = { cycles: input.cycles ?? 0, services: readLastSeen(input.lastSeen) };
  const reobserve = new Set<string>();
  setHandler(fleetQuery, () => ({ ...view, timings: input.timings }));
  setHandler(reobserveSignal, (service) => void reobserve.add(service));
  for (let run = 0; ; run++) {
    await evaluateOnce(view, input, reobserve);
    setCurrentDetails(details(view));
    if (run + 1 >= MAX_CYCLES_PER_RUN || workflowInfo().continueAsNewSuggested) break;
    await sleep(input.intervalMs, { summary: `next evaluation in ${input.intervalMs / 1000}s` });
  }
  return continueAsNew<typeof fleetEvaluationWorkflow>({
    ...input,
    lastSeen: view.services,
    cycles: view.cycles,
  });
}

async function evaluateOnce(
  view: FleetView,
  input: FleetEvaluationInput,
  reobserve: Set<string>,
): Promise<void> {
  view.cycles++;
  try {
    const snapshot = await measuring.measureFleet.executeWithOptions(
      { summary: 'measure every SLO from Prometheus' },
      [],
    );
    const observations = [
      ...snapshot.normal.map((s) => normalObservation(s, snapshot.evaluatedAt)),
      ...snapshot.observations,
    ];
    const consumed = [...reobserve];
    const plan = planFleetActions(forgetNormal(view.services, consumed), observations);
    if (plan.actions.length > 0) {
      await dispatching.dispatchFleetActions.executeWithOptions(
        { summary: `signal ${plan.actions.length} incident and freeze workflows` },
        [{ actions: plan.actions, timings: input.timings }],
      );
    }
    view.services = plan.next;
    for (const service of consumed) reobserve.delete(service);
    view.lastEvaluatedAt = snapshot.evaluatedAt;
    delete view.lastError;
  } catch (err) {
    // A failed cycle (Prometheus down, catalog invalid) changes nothing; the next one tries again.
    if (!(err instanceof ActivityFailure)) throw err;
    view.lastError = activityFailureText(err);
  }
}

/**
 * Services to re-observe count as unknown ('no-data') instead of normal, so a normal evaluation is
 * sent to the incident an alert opened. Burning services are left alone: their incident is ours.
 */
function forgetNormal(services: Record<string, LastSeen>, reobserve: string[]): Record<string, LastSeen> {
  if (reobserve.length === 0) return services;
  const previous = { ...services };
  for (const service of reobserve) {
    const seen = previous[service];
    if (seen?.severity === 'normal') previous[service] = { ...seen, severity: 'no-data' };
  }
  return previous;
}

function details(view: FleetView): string {
  const counts = new Map<string, number>();
  for (const s of Object.values(view.services)) counts.set(s.severity, (counts.get(s.severity) ?? 0) + 1);
  const summary = [...counts].map(([severity, n]) => `${n} ${severity}`).join(', ') || 'no services';
  return `Cycle ${view.cycles}, last evaluated ${view.lastEvaluatedAt ?? 'never'}: ${summary}${view.lastError ? `\n\nLast error: ${view.lastError}` : ''}`;
}
