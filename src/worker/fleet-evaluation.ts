import type { Client } from '@temporalio/client';
import { SafeDeployKind } from '../temporal/search-attributes';
import {
  TASK_QUEUE,
  type IncidentTimings,
  type WorkflowOf,
  workflowIds,
  WORKFLOW_TYPES,
} from '../../workflows/messages';

/** Starts the periodic fleet evaluation unless it already runs (idempotent by workflow id). */
export async function ensureFleetEvaluation(
  client: Client,
  intervalMs: number,
  timings: IncidentTimings,
): Promise<{ runId: string }> {
  const handle = await client.workflow.start<WorkflowOf<'fleetEvaluation'>>(WORKFLOW_TYPES.fleetEvaluation, {
    workflowId: workflowIds.fleetEvaluation,
    taskQueue: TASK_QUEUE,
    args: [{ intervalMs, timings }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [{ key: SafeDeployKind, value: 'evaluation' }],
    staticSummary: `Fleet evaluation every ${intervalMs / 1000}s`,
    staticDetails:
      'Measures every SLO in the catalog, decides, and signals incident and freeze workflows on a change.',
  });
  return { runId: handle.firstExecutionRunId };
}
