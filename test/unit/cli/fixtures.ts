// Incident views and a one-service catalog for the CLI's pure parts (proposal refs, report assembly).
import type { Catalog } from '../../../src/catalog/model';
import { assessService } from '../../../src/evaluation/assess-service';
import type { FleetEvaluation } from '../../../src/evaluation/evaluate-fleet';
import type { Proposal, ProposalState } from '../../../src/incident/proposals';
import type { ProposalType } from '../../../src/gitops/proposal-types';
import type { IncidentView } from '../../../workflows/messages';
import { serviceOf, goodDocument } from '../catalog/support';

export const INCIDENT_ID = 'checkout-20260101t000000z';

export function proposal(type: ProposalType, state: ProposalState): Proposal {
  return {
    id: `${INCIDENT_ID}/${type}`,
    type,
    incidentId: INCIDENT_ID,
    service: 'checkout',
    state,
    createdAt: '2026-01-01T00:00:05.000Z',
    expiresAt: '2026-01-01T04:00:05.000Z',
    rationale: 'fast burn after a change',
    decisions: [],
    ...(state === 'opened'
      ? { change: { branch: `safedeploy/${INCIDENT_ID}/${type}`, url: 'file:///env.git#b', headSha: 'abc' } }
      : {}),
  };
}

export function incidentView(overrides: Partial<IncidentView> = {}): IncidentView {
  return {
    incidentId: INCIDENT_ID,
    service: 'checkout',
    kind: 'slo',
    state: 'detected',
    severity: 'fast-burn',
    detectedAt: '2026-01-01T00:00:00.000Z',
    transitions: [
      {
        from: null,
        to: 'detected',
        at: '2026-01-01T00:00:00.000Z',
        actor: 'safedeploy',
        reason: 'fast burn',
      },
    ],
    proposals: [],
    timeline: [],
    ...overrides,
  };
}

/** The good fixture's checkout service, measured with a clean history (normal, allow). */
export function healthyFleet(at = new Date('2026-01-01T01:00:00Z')): {
  catalog: Catalog;
  evaluation: FleetEvaluation;
} {
  const service = serviceOf(goodDocument());
  const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'];
  const zeros = Object.fromEntries(windows.map((w) => [w, 0]));
  const totals = Object.fromEntries(windows.map((w) => [w, 100]));
  const catalog: Catalog = { services: [service], violations: [] };
  const assessment = assessService(service, () => ({ errors: zeros, totals }), []);
  return { catalog, evaluation: { evaluatedAt: at.toISOString(), services: [assessment], queryErrors: [] } };
}
