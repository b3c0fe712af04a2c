// What the tour's stages share as the story unfolds.
import type { Client } from '@temporalio/client';
import { isActive } from '../../incident/lifecycle';
import type { IncidentView } from '../../../workflows/messages';
import type { DemoContext } from './context';
import type { Release } from './env-moves';

export interface TourState {
  ctx: DemoContext;
  client: Client;
  /** When the bad release went out: an incident detected before it is an older one. */
  releasedAt?: string;
  release?: Release;
  incident?: IncidentView;
  branch?: string;
}

export const ROLLBACK = 'rollback-rollout';

export function incidentOf(state: TourState): IncidentView {
  if (!state.incident) throw new Error('no incident yet (an earlier stage did not finish)');
  return state.incident;
}

/** The tour's own incident: detected after its release, still active. */
export function isNewActiveIncident(state: TourState, view: IncidentView): boolean {
  return isActive(view.state) && view.detectedAt >= (state.releasedAt ?? '');
}

const ORDER = ['detected', 'investigating', 'mitigated', 'resolved', 'postmortem-complete'];

/** At or past `state` in the lifecycle (a fast incident may skip ahead between two polls). */
export function reached(view: IncidentView, state: string): boolean {
  return ORDER.indexOf(view.state) >= ORDER.indexOf(state);
}
