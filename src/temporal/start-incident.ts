// Signal-with-start on a service's incident workflow: the one way an incident is opened from outside a
// workflow (the fleet evaluation's dispatch and the Alertmanager intake). The deterministic workflow id
// makes a repeated or overlapping start reach the running incident instead of creating another.
import type { Client } from '@temporalio/client';
import type { ServiceObservation } from '../evaluation/observation';
import {
  observeSignal,
  TASK_QUEUE,
  WORKFLOW_TYPES,
  type IncidentInput,
  type WorkflowOf,
} from '../../workflows/messages';
import { SafeDeployKind, SafeDeployService } from './search-attributes';

export interface IncidentStart {
  workflowId: string;
  input: IncidentInput;
  /** Delivered with the start (or to the running incident). */
  observation: ServiceObservation;
  /** Shown in the Temporal Web UI's workflow list and details. */
  summary: string;
  details: string;
}

export async function signalWithStartIncident(client: Client, start: IncidentStart): Promise<void> {
  await client.workflow.signalWithStart<WorkflowOf<'incident'>, [ServiceObservation]>(
    WORKFLOW_TYPES.incident,
    {
      workflowId: start.workflowId,
      taskQueue: TASK_QUEUE,
      args: [start.input],
      signal: observeSignal,
      signalArgs: [start.observation],
      typedSearchAttributes: [
        { key: SafeDeployService, value: start.input.service },
        { key: SafeDeployKind, value: 'incident' },
      ],
      staticSummary: start.summary,
      staticDetails: start.details,
    },
  );
}
