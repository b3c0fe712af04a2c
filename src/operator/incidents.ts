// Reading incidents and freezes back from Temporal for operators (CLI, HTTP API, report): by
// visibility queries on SafeDeploy's search attributes, then each workflow's own query.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isActive } from '../incident/lifecycle';
import {
  freezeQuery,
  incidentQuery,
  type FreezeView,
  type IncidentView,
  workflowIds,
  workflowTypeIn,
  WORKFLOW_TYPES,
} from '../../workflows/messages';

const INCIDENT_TYPES = workflowTypeIn('incident', 'postmortem');

export interface IncidentRef {
  workflowId: string;
  view: IncidentView;
}

/** The current view of an incident workflow, running or finished. */
async function viewOf(client: Client, workflowId: string, runId?: string): Promise<IncidentView | undefined> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const description = await handle.describe();
  if (description.status.name === 'RUNNING') return handle.query(incidentQuery);
  if (description.status.name === 'COMPLETED') return (await handle.result()) as IncidentView;
  return undefined;
}

export interface ListOptions {
  service?: string;
  /** Include finished incidents (resolved and handed over, or postmortem-complete). */
  all?: boolean;
  limit?: number;
}

/** Incidents newest first; by default only those still open (active or awaiting a postmortem). */
export async function listIncidents(client: Client, options: ListOptions = {}): Promise<IncidentRef[]> {
  const filters = [INCIDENT_TYPES];
  if (options.service) filters.push(`SafeDeployService = '${options.service.replace(/'/g, '')}'`);
  if (!options.all) filters.push(`ExecutionStatus = 'Running'`);
  const refs: IncidentRef[] = [];
  for await (const w of client.workflow.list({ query: filters.join(' AND ') })) {
    const view = await viewOf(client, w.workflowId, w.runId).catch(() => undefined);
    // A completed incident workflow was handed to its postmortem workflow, which lists it instead.
    if (
      view &&
      !(w.type === WORKFLOW_TYPES.incident && view.state === 'resolved' && w.status.name === 'COMPLETED')
    ) {
      refs.push({ workflowId: w.workflowId, view });
    }
    if (options.limit && refs.length >= options.limit) break;
  }
  return refs.sort((a, b) => b.view.detectedAt.localeCompare(a.view.detectedAt));
}

const INCIDENT_ID = /^(?<prefix>[a-z0-9]([-a-z0-9]*[a-z0-9])?)-(?<at>\d{8}t\d{6}z)$/;

/** The services an incident id may belong to: policy incidents carry "-policy" after the service. */
function servicesOf(prefix: string): string[] {
  return prefix.endsWith('-policy') ? [prefix.slice(0, -'-policy'.length), prefix] : [prefix];
}

/**
 * Finds an incident by id (checkout-20260101t000000z, checkout-policy-…) or by service name (its open
 * incident).
 * Returns undefined when there is none.
 */
export async function findIncident(client: Client, ref: string): Promise<IncidentRef | undefined> {
  const match = INCIDENT_ID.exec(ref);
  const candidates = match?.groups
    ? [
        workflowIds.postmortem(ref),
        ...servicesOf(match.groups.prefix!).flatMap((s) => [
          workflowIds.incident(s),
          workflowIds.policyIncident(s),
        ]),
      ]
    : [workflowIds.incident(ref), workflowIds.policyIncident(ref)];
  for (const workflowId of candidates) {
    const view = await viewOf(client, workflowId).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (view && (!match || view.incidentId === ref))
      return {
        workflowId:
          view.state === 'resolved' || view.state === 'postmortem-complete'
            ? workflowIds.postmortem(view.incidentId)
            : workflowId,
        view,
      };
  }
  return undefined;
}

export interface ServiceTemporalState {
  incident?: { id: string; state: string };
  freeze?: { until: string };
}

/** What the gate needs from Temporal: an active incident, an active freeze. */
export async function serviceTemporalState(client: Client, service: string): Promise<ServiceTemporalState> {
  const state: ServiceTemporalState = {};
  for (const workflowId of [workflowIds.incident(service), workflowIds.policyIncident(service)]) {
    const view = await runningQuery(client, workflowId, () =>
      client.workflow.getHandle(workflowId).query(incidentQuery),
    );
    if (view && isActive(view.state)) {
      state.incident = { id: view.incidentId, state: view.state };
      break;
    }
  }
  const freeze = await runningQuery(client, workflowIds.freeze(service), () =>
    client.workflow.getHandle(workflowIds.freeze(service)).query(freezeQuery),
  );
  if (freeze?.state === 'frozen')
    state.freeze = { until: freeze.until ?? 'the error budget recovers, then its freeze duration' };
  return state;
}

/** Running freezes, for listings. */
export async function listFreezes(client: Client, all = false): Promise<FreezeView[]> {
  const query = `${workflowTypeIn('freeze')}${all ? '' : ` AND ExecutionStatus = 'Running'`}`;
  const views: FreezeView[] = [];
  for await (const w of client.workflow.list({ query })) {
    const handle = client.workflow.getHandle(w.workflowId, w.runId);
    const view =
      w.status.name === 'RUNNING'
        ? await handle.query(freezeQuery).catch(() => undefined)
        : ((await handle.result().catch(() => undefined)) as FreezeView | undefined);
    if (view) views.push(view);
  }
  return views;
}

async function runningQuery<T>(
  client: Client,
  workflowId: string,
  query: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return d.status.name === 'RUNNING' ? await query() : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
