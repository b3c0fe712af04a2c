// The incident lifecycle as data: states, the transitions allowed between them, and a pure function
// that applies one. Workflows call it; nothing else changes an incident's state.

export const INCIDENT_STATES = [
  'detected',
  'investigating',
  'mitigated',
  'resolved',
  'postmortem-complete',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/**
 * detected → investigating when a human acknowledges; → mitigated when the change is merged or a
 * human says so; → resolved after a cool-down of normal SLOs or by a human; → postmortem-complete
 * when the postmortem is recorded. Renewed burning after mitigation reopens the investigation.
 */
const ALLOWED: Record<IncidentState, readonly IncidentState[]> = {
  detected: ['investigating', 'mitigated', 'resolved'],
  investigating: ['mitigated', 'resolved'],
  mitigated: ['investigating', 'resolved'],
  resolved: ['postmortem-complete'],
  'postmortem-complete': [],
};

export interface Transition {
  from: IncidentState | null;
  to: IncidentState;
  /** ISO 8601. */
  at: string;
  actor: string;
  reason: string;
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: IncidentState,
    readonly to: IncidentState,
  ) {
    super(`an incident cannot go from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

export function canTransition(from: IncidentState, to: IncidentState): boolean {
  return ALLOWED[from].includes(to);
}

/** The next transition, or an InvalidTransitionError naming both states. */
export function nextTransition(
  from: IncidentState,
  to: IncidentState,
  at: string,
  actor: string,
  reason: string,
): Transition {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
  return { from, to, at, actor, reason };
}

/** Active incidents block promotion; a resolved one awaiting its postmortem does not. */
export function isActive(state: IncidentState): boolean {
  return state === 'detected' || state === 'investigating' || state === 'mitigated';
}
