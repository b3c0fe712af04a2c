// Turns the fleet evaluation's plan into signals: signal-with-start on deterministic workflow ids,
// so a repeated or overlapping evaluation reaches the same incident instead of creating another.
import { heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { readFleetAction, type FleetAction, type StoredFleetAction } from '../src/evaluation/fleet-plan';
import { durationSeconds } from '../src/slo/windows';
import { SafeDeployKind, SafeDeployService } from '../src/temporal/search-attributes';
import { signalWithStartIncident } from '../src/temporal/start-incident';
import {
  exhaustionSignal,
  observeSignal,
  TASK_QUEUE,
  type IncidentTimings,
  type WorkflowOf,
  workflowIds,
  WORKFLOW_TYPES,
} from '../workflows/messages';
import type { ActivityDeps } from './index';

export interface DispatchInput {
  /** Planned by the running fleet evaluation, or by an older worker's before an upgrade. */
  actions: StoredFleetAction[];
  timings: IncidentTimings;
}

export function createDispatchActivities({ temporal, store, secrets }: ActivityDeps) {
  return {
    async dispatchFleetActions({ actions, timings }: DispatchInput): Promise<{ signalled: number }> {
      let signalled = 0;
      const planned = actions.map(readFleetAction);
      for (const action of planned) {
        if (await dispatch(temporal, action, timings)) signalled++;
        heartbeat(signalled);
      }
      await store.appendAudit('evaluations', planned.map(auditEntry), secrets);
      return { signalled };
    },
  };
}

async function dispatch(temporal: Client, action: FleetAction, timings: IncidentTimings): Promise<boolean> {
  switch (action.kind) {
    case 'slo':
    case 'policy': {
      const kind = action.kind;
      const workflowId = workflowIds.incidentOf(action.service, kind);
      if (!action.start)
        return signalIfRunning(temporal, workflowId, (h) => h.signal(observeSignal, action.observation));
      await signalWithStartIncident(temporal, {
        workflowId,
        input: {
          service: action.service,
          kind,
          timings,
          ...(action.kind === 'slo' && action.lastHealthyAt ? { lastHealthyAt: action.lastHealthyAt } : {}),
        },
        observation: action.observation,
        summary: `${kind === 'policy' ? 'Policy' : 'SLO'} incident: ${action.service}`,
        details: `Opened by SafeDeploy at ${action.observation.evaluatedAt} (severity ${action.observation.severity}).`,
      });
      return true;
    }
    case 'freeze': {
      const workflowId = workflowIds.freeze(action.service);
      const freezeDurationMs = action.context
        ? durationSeconds(action.context.governance.freezeDuration) * 1000
        : undefined;
      const update = {
        exhausted: action.exhausted,
        at: action.at,
        ...(freezeDurationMs ? { freezeDurationMs } : {}),
        ...(action.context ? { context: action.context } : {}),
      };
      if (!action.exhausted || !action.context || freezeDurationMs === undefined) {
        return signalIfRunning(temporal, workflowId, (h) => h.signal(exhaustionSignal, update));
      }
      await temporal.workflow.signalWithStart<WorkflowOf<'freeze'>, [typeof update]>(WORKFLOW_TYPES.freeze, {
        workflowId,
        taskQueue: TASK_QUEUE,
        args: [{ service: action.service, freezeDurationMs, context: action.context }],
        signal: exhaustionSignal,
        signalArgs: [update],
        typedSearchAttributes: [
          { key: SafeDeployService, value: action.service },
          { key: SafeDeployKind, value: 'freeze' },
        ],
        staticSummary: `Freeze: ${action.service} (error budget exhausted)`,
      });
      return true;
    }
  }
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

/** Recovery news matters only to a workflow that is still running; a finished one is left alone. */
async function signalIfRunning(
  temporal: Client,
  workflowId: string,
  send: (h: Handle) => Promise<void>,
): Promise<boolean> {
  try {
    await send(temporal.workflow.getHandle(workflowId));
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

function auditEntry(action: FleetAction): { eventId: string; [k: string]: unknown } {
  const at = action.kind === 'freeze' ? action.at : action.observation.evaluatedAt;
  const base = {
    eventId: `${action.kind}:${action.service}:${at}`,
    at,
    type: action.kind,
    service: action.service,
  };
  if (action.kind === 'freeze') return { ...base, exhausted: action.exhausted };
  const o = action.observation;
  return {
    ...base,
    start: action.start,
    severity: o.severity,
    verdict: o.verdict,
    ...(o.wouldBe ? { wouldBe: o.wouldBe } : {}),
    violations: o.violations,
    reasons: o.detail?.reasons ?? [],
  };
}
