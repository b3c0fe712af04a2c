// The fleet evaluation's decision step (pure): compare what it sees now with what it saw last
// cycle and plan only the signals a change calls for, so histories stay small at fleet scale.
import { isBurning, type Severity } from '../slo/severity';
import type { ServiceContext, ServiceObservation } from './observation';

export interface LastSeen {
  severity: Severity;
  /** Sorted violation codes joined by commas; '' when none. */
  violations: string;
  /** evaluatedAt of the newest evaluation that found the service normal. */
  lastHealthyAt?: string;
}

/**
 * LastSeen as workers before the vocabulary change wrote it (`lastNormalAt`): it still arrives in
 * fleet evaluation inputs carried across continue-as-new, in recorded histories and in fleet query
 * answers of older workers (docs/ARCHITECTURE.md invariant 9), so readers normalise it.
 */
export type StoredLastSeen = LastSeen & { lastNormalAt?: string };

export function readLastSeen(stored: Record<string, StoredLastSeen> = {}): Record<string, LastSeen> {
  const seen: Record<string, LastSeen> = {};
  for (const [service, { lastNormalAt, ...rest }] of Object.entries(stored)) {
    const lastHealthyAt = rest.lastHealthyAt ?? lastNormalAt;
    seen[service] = { ...rest, ...(lastHealthyAt ? { lastHealthyAt } : {}) };
  }
  return seen;
}

/** The incident kinds are IncidentKind's words (workflows/messages.ts): 'slo' and 'policy'. */
export type FleetAction =
  /** start: signal-with-start (the service is burning); otherwise signal an incident if one runs. */
  | {
      kind: 'slo';
      service: string;
      start: boolean;
      observation: ServiceObservation;
      lastHealthyAt?: string;
    }
  | { kind: 'policy'; service: string; start: boolean; observation: ServiceObservation }
  | { kind: 'freeze'; service: string; exhausted: boolean; at: string; context?: ServiceContext };

/** A FleetAction as workers before the vocabulary change planned it: an SLO incident was 'incident'. */
export type StoredFleetAction =
  FleetAction | (Omit<Extract<FleetAction, { kind: 'slo' }>, 'kind'> & { kind: 'incident' });

export function readFleetAction(action: StoredFleetAction): FleetAction {
  return action.kind === 'incident' ? { ...action, kind: 'slo' } : action;
}

export interface FleetPlan {
  actions: FleetAction[];
  next: Record<string, LastSeen>;
}

export function planFleetActions(
  previous: Record<string, LastSeen>,
  observations: ServiceObservation[],
): FleetPlan {
  const actions: FleetAction[] = [];
  const next: Record<string, LastSeen> = {};
  for (const o of observations) {
    const before = previous[o.service];
    actions.push(...incidentActions(before, o), ...policyActions(before, o), ...freezeActions(before, o));
    const lastHealthyAt = o.severity === 'normal' ? o.evaluatedAt : before?.lastHealthyAt;
    next[o.service] = {
      severity: o.severity,
      violations: o.violations.join(','),
      ...(lastHealthyAt ? { lastHealthyAt } : {}),
    };
  }
  return { actions, next };
}

function incidentActions(before: LastSeen | undefined, o: ServiceObservation): FleetAction[] {
  if (before?.severity === o.severity) return [];
  if (isBurning(o.severity)) {
    const lastHealthyAt = before?.lastHealthyAt;
    return [
      {
        kind: 'slo',
        service: o.service,
        start: true,
        observation: o,
        ...(lastHealthyAt ? { lastHealthyAt } : {}),
      },
    ];
  }
  // Not burning now: an incident may still be running unless the service was known to be normal
  // (it was burning, or had no data, or the evaluation restarted and lost what it saw).
  return before?.severity === 'normal'
    ? []
    : [{ kind: 'slo', service: o.service, start: false, observation: o }];
}

function policyActions(before: LastSeen | undefined, o: ServiceObservation): FleetAction[] {
  const now = o.violations.join(',');
  // Without a previous cycle a clean entry is still news: a policy incident may be waiting for it.
  if (before && before.violations === now) return [];
  return [{ kind: 'policy', service: o.service, start: now !== '', observation: o }];
}

function freezeActions(before: LastSeen | undefined, o: ServiceObservation): FleetAction[] {
  const is = o.severity === 'exhausted';
  if (before && (before.severity === 'exhausted') === is) return [];
  const context = o.detail ? { context: o.detail.context } : {};
  return [{ kind: 'freeze', service: o.service, exhausted: is, at: o.evaluatedAt, ...context }];
}
