// Turns a paging alert into an incident: signal-with-start on the service's incident workflow (the
// same deterministic id the fleet evaluation uses, so an alert and an evaluation meet in one
// incident), then asks the fleet evaluation to tell that incident what SafeDeploy's SLOs say, so its
// resolution follows SafeDeploy's evaluation, not the alert.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { signalWithStartIncident } from '../temporal/start-incident';
import type { ServiceObservation } from '../evaluation/observation';
import { readLastSeen } from '../evaluation/fleet-plan';
import { fleetQuery, observeSignal, reobserveSignal, workflowIds } from '../../workflows/messages';
import { startOf, type Alert } from './alertmanager';
import { errorMessage } from '../errors';

export type PageOutcome =
  | { outcome: 'opened' | 'joined'; workflowId: string }
  /** The service's last incident ended after this alert started: it already covered this episode. */
  | { outcome: 'covered'; workflowId: string; reason: string };

/** The fleet evaluation is needed to start an incident (its timings) and is not answering. */
export class FleetUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetUnavailableError';
  }
}

export async function pageIncident(
  client: Client,
  service: string,
  alert: Alert,
  observation: ServiceObservation,
): Promise<PageOutcome> {
  const workflowId = workflowIds.incident(service);
  const handle = client.workflow.getHandle(workflowId);
  const describe = () =>
    handle.describe().catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
  let last = await describe();
  if (last && last.status.name === 'RUNNING') {
    // The incident may complete between describe and signal (it hands over to its postmortem right
    // after resolving): then this page is decided against the closed incident, as if it came later.
    const joined = await handle.signal(observeSignal, observation).then(
      () => true,
      (err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      },
    );
    if (joined) {
      await reobserve(client, service);
      return { outcome: 'joined', workflowId };
    }
    last = await describe();
  }
  const closed = last?.closeTime?.toISOString();
  if (closed !== undefined && closed >= startOf(alert))
    return {
      outcome: 'covered',
      workflowId,
      reason: `the incident ${workflowId} closed at ${closed}, after this alert started; a new episode opens a new incident`,
    };
  await startIncident(client, service, alert, observation);
  await reobserve(client, service);
  return { outcome: 'opened', workflowId };
}

async function startIncident(
  client: Client,
  service: string,
  alert: Alert,
  observation: ServiceObservation,
): Promise<void> {
  const fleet = await client.workflow
    .getHandle(workflowIds.fleetEvaluation)
    .query(fleetQuery)
    .catch((err: unknown) => {
      throw new FleetUnavailableError(
        `the fleet evaluation did not answer (is a SafeDeploy worker running?): ${errorMessage(err)}`,
      );
    });
  if (!fleet.timings)
    throw new FleetUnavailableError(
      'the fleet evaluation does not report its incident timings (upgrade the worker)',
    );
  // The rollback target is the revision live before the page: no later than the alert's start.
  const healthyAt = readLastSeen(fleet.services)[service]?.lastHealthyAt;
  const started = startOf(alert);
  const lastHealthyAt = healthyAt !== undefined && healthyAt < started ? healthyAt : started;
  await signalWithStartIncident(client, {
    workflowId: workflowIds.incident(service),
    input: { service, kind: 'slo', timings: fleet.timings, lastHealthyAt },
    observation,
    summary: `SLO incident: ${service}`,
    details: `Opened by an Alertmanager page (${alert.labels.alertname ?? 'alert'}) firing since ${started}.`,
  });
}

/** Best effort: without a running fleet evaluation there is nothing to re-observe with. */
async function reobserve(client: Client, service: string): Promise<void> {
  await client.workflow
    .getHandle(workflowIds.fleetEvaluation)
    .signal(reobserveSignal, service)
    .catch(() => undefined);
}
