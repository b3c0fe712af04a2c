// Every message SafeDeploy's workflows understand — signals, queries, their payload types, the
// workflow type names, the workflow ids and the task queue — in one module imported by the workflows,
// the worker, the CLI, the HTTP API and tests. Nothing else spells these names.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ServiceContext, ServiceObservation, SloDigest } from '../src/evaluation/observation';
import type { IncidentState, Transition } from '../src/incident/lifecycle';
import type { ActionRequest, Proposal } from '../src/incident/proposals';
import type { StoredLastSeen } from '../src/evaluation/fleet-plan';
import type { Attribution, BurnOnset } from '../src/incident/attribution';

import type * as registered from './index';

export const TASK_QUEUE = 'safedeploy';

/**
 * The workflow type names the worker registers (the functions workflows/index.ts exports); the
 * compiler checks each one names an exported workflow. Clients start workflows by these names with
 * the function's type (`start<WorkflowOf<'incident'>>(WORKFLOW_TYPES.incident, …)`): importing the
 * workflow code itself would pull it out of the worker's sandbox.
 */
export const WORKFLOW_TYPES = {
  incident: 'incidentWorkflow',
  postmortem: 'postmortemWorkflow',
  freeze: 'freezeWorkflow',
  fleetEvaluation: 'fleetEvaluationWorkflow',
  notification: 'notificationWorkflow',
} as const satisfies Record<string, keyof typeof registered>;

export type WorkflowTypeKey = keyof typeof WORKFLOW_TYPES;
/** The workflow function registered under WORKFLOW_TYPES[K], for typed starts and signal-with-starts. */
export type WorkflowOf<K extends WorkflowTypeKey> = (typeof registered)[(typeof WORKFLOW_TYPES)[K]];

/** A visibility query for executions of these workflow types, e.g. `WorkflowType IN ('incidentWorkflow')`. */
export function workflowTypeIn(...keys: WorkflowTypeKey[]): string {
  return `WorkflowType IN (${keys.map((k) => `'${WORKFLOW_TYPES[k]}'`).join(', ')})`;
}

/**
 * Deterministic workflow ids. They enforce "one active incident per service": Temporal refuses a
 * second running workflow with the same id, so no lookup-then-create race exists.
 */
export const workflowIds = {
  /** The service's active SLO incident (detected → resolved). */
  incident: (service: string) => `incident-${service}`,
  /** The service's active policy incident (structural violations in the catalog). */
  policyIncident: (service: string) => `policy-incident-${service}`,
  /** The active incident of either kind. */
  incidentOf: (service: string, kind: IncidentKind) =>
    kind === 'policy' ? workflowIds.policyIncident(service) : workflowIds.incident(service),
  /** A resolved incident awaiting its postmortem; it no longer blocks a new incident. */
  postmortem: (incidentId: string) => `postmortem-${incidentId}`,
  freeze: (service: string) => `freeze-${service}`,
  fleetEvaluation: 'safedeploy-fleet-evaluation',
  /** One batch of notifications, named after its first event, so a batch is started once. */
  notificationBatch: (firstEventId: string) => `notify-${firstEventId}`,
} as const;

export type IncidentKind = 'slo' | 'policy';

/** Durations in milliseconds, so tests and demos can shorten them. */
export interface IncidentTimings {
  /** How long every SLO must stay normal before SafeDeploy resolves the incident. */
  cooldownMs: number;
  /** How long a proposal waits for an approver before it expires. */
  proposalTtlMs: number;
  /** How often an open pull request is checked for merge. */
  mergePollMs: number;
  /** How often a resolved incident without a postmortem is reminded. */
  postmortemReminderMs: number;
}

export const DEFAULT_TIMINGS: IncidentTimings = {
  cooldownMs: 15 * 60_000,
  proposalTtlMs: 4 * 3_600_000,
  mergePollMs: 30_000,
  postmortemReminderMs: 24 * 3_600_000,
};

export interface IncidentInput {
  service: string;
  kind: IncidentKind;
  timings: IncidentTimings;
  /** When the service was last seen healthy, to choose the rollback target. */
  lastHealthyAt?: string;
}

export interface TimelineEntry {
  at: string;
  actor: string;
  kind:
    | 'transition'
    | 'evaluation'
    | 'proposal'
    | 'approval'
    | 'refusal'
    | 'change'
    | 'renewed-burning'
    | 'reminder'
    | 'postmortem';
  message: string;
}

export interface Postmortem {
  url: string;
  actionItems: string[];
  by: string;
  at: string;
}

export interface IncidentView {
  incidentId: string;
  service: string;
  kind: IncidentKind;
  state: IncidentState;
  severity: string;
  detectedAt: string;
  lastHealthyAt?: string;
  transitions: Transition[];
  proposals: Proposal[];
  timeline: TimelineEntry[];
  context?: ServiceContext;
  /** The newest SLO detail seen (healthy observations carry none). */
  slos?: SloDigest[];
  latest?: ServiceObservation;
  postmortem?: Postmortem;
  /** When the burn began (SLO incidents opened by a worker that attributes releases). */
  onset?: BurnOnset;
  /** The suspect release, the rollback target and the budget the release spent. */
  attribution?: Attribution;
}

/** The outcome a human action reached, polled by the CLI with the action's requestId. */
export interface ActionOutcome {
  requestId: string;
  /** final: nothing more will happen for this request (e.g. the pull request is open, or it was refused). */
  final: boolean;
  accepted: boolean;
  message: string;
  /**
   * Why a refused action was refused: the signature (missing, bad, unknown key), the actor (not an
   * approver, no reason), or the state of what it acts on (not pending, expired, quorum). Absent
   * when accepted and in outcomes recorded before signed actions.
   */
  refusal?: RefusalKind;
}

export type RefusalKind = 'signature' | 'actor' | 'state';

export interface ProposalAction extends ActionRequest {
  /** A proposal id, or its type when the incident has one of that type. */
  proposal: string;
}

export interface PostmortemRequest extends ActionRequest {
  url: string;
  actionItems: string[];
}

// Incident signals: evaluations from the fleet loop, actions from humans (via the CLI).
export const observeSignal = defineSignal<[ServiceObservation]>('observe');
export const acknowledgeSignal = defineSignal<[ActionRequest]>('acknowledge');
export const approveSignal = defineSignal<[ProposalAction]>('approve');
export const rejectSignal = defineSignal<[ProposalAction]>('reject');
export const mitigateSignal = defineSignal<[ActionRequest]>('mitigate');
export const resolveSignal = defineSignal<[ActionRequest]>('resolve');
export const postmortemSignal = defineSignal<[PostmortemRequest]>('postmortem');

export const incidentQuery = defineQuery<IncidentView>('incident');
export const outcomeQuery = defineQuery<ActionOutcome | undefined, [string]>('outcome');

// Freeze: a durable timer per service, extended by exhaustion, lifted early only by an approver.
export interface FreezeInput {
  service: string;
  freezeDurationMs: number;
  context: ServiceContext;
}

export interface ExhaustionUpdate {
  exhausted: boolean;
  at: string;
  /** From the catalog's governance.freezeDuration; absent when the observation carried no detail. */
  freezeDurationMs?: number;
  context?: ServiceContext;
}

export interface FreezeView {
  service: string;
  state: 'frozen' | 'lifted' | 'expired';
  since: string;
  /** null while the budget is still exhausted: the timer starts when exhaustion ends. */
  until: string | null;
  exhausted: boolean;
  liftedBy?: { by: string; reason: string; at: string };
  refusals: { by: string; reason: string; at: string; refusal: string }[];
}

export const exhaustionSignal = defineSignal<[ExhaustionUpdate]>('exhaustion');
export const liftFreezeSignal = defineSignal<[ActionRequest]>('liftFreeze');
export const freezeQuery = defineQuery<FreezeView>('freeze');

// Fleet evaluation.
export interface FleetEvaluationInput {
  intervalMs: number;
  timings: IncidentTimings;
  /** Carried across continue-as-new; runs of older workers carry `lastNormalAt` (readLastSeen). */
  lastSeen?: Record<string, StoredLastSeen>;
  cycles?: number;
}

export interface FleetView {
  cycles: number;
  /** The incident timings this evaluation starts incidents with (the Alertmanager intake uses them too). */
  timings?: IncidentTimings;
  lastEvaluatedAt?: string;
  /** Older workers answer with `lastNormalAt` instead of `lastHealthyAt`: read with readLastSeen. */
  services: Record<string, StoredLastSeen>;
  lastError?: string;
}

export const fleetQuery = defineQuery<FleetView>('fleet');
/**
 * A service's incident was opened from outside the evaluation (an Alertmanager page): the next cycle
 * must tell that incident what SafeDeploy sees, even if the service looks unchanged.
 */
export const reobserveSignal = defineSignal<[string]>('reobserve');

// Notifications: a batch's routes already done, so the next batch to a route waits for this one.
export const notificationRoutesDoneQuery = defineQuery<string[]>('notificationRoutesDone');
