// The fleet report: one picture of services, owners, SLOs, freezes, incidents, open proposals and
// gate verdicts. Pure assembly from an evaluation and what Temporal said (or that it could not be
// reached); the CLI views render it as a table or Markdown.
import type { Catalog, Service } from '../catalog/model';
import type { Attribution } from '../incident/attribution';
import { assessmentOf, type FleetEvaluation } from '../evaluation/evaluate-fleet';
import type { ServiceAssessment } from '../evaluation/assess-service';
import { isActive, type IncidentState } from '../incident/lifecycle';
import type { ProposalState } from '../incident/proposals';
import type { ProposalType } from '../gitops/proposal-types';
import { decideGate, failClosed, type GateDecision, type GateInput } from '../policy/gate';
import type { SliFailure } from '../prometheus/measure';
import type { SloAssessment } from '../slo/assess';
import type { FreezeView, IncidentView } from '../../workflows/messages';

export interface IncidentSummary {
  incidentId: string;
  service: string;
  kind: IncidentView['kind'];
  state: IncidentState;
  severity: string;
  detectedAt: string;
  ageSeconds: number;
  proposals: { id: string; type: ProposalType; state: ProposalState }[];
  /** The suspect release, its rollback target and the budget it spent (attribution.json). */
  attribution?: Attribution;
}

export interface OpenProposal {
  id: string;
  incidentId: string;
  service: string;
  type: ProposalType;
  state: ProposalState;
  createdAt: string;
  expiresAt: string;
  /** The branch or pull request, once opened. */
  change?: { branch: string; url: string };
  /** With a quorum above 1: approvals given and needed ("1 of 2 approvals"). */
  approvals?: { given: number; needed: number };
}

/** Proposals still waiting for a human or for their change to be merged. */
export const OPEN_PROPOSAL_STATES: readonly ProposalState[] = ['pending', 'approved', 'opened'];

export function summarizeIncident(view: IncidentView, now: Date): IncidentSummary {
  return {
    incidentId: view.incidentId,
    service: view.service,
    kind: view.kind,
    state: view.state,
    severity: view.severity,
    detectedAt: view.detectedAt,
    ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(view.detectedAt)) / 1000)),
    proposals: view.proposals.map(({ id, type, state }) => ({ id, type, state })),
    ...(view.attribution ? { attribution: view.attribution } : {}),
  };
}

export function openProposals(views: readonly IncidentView[]): OpenProposal[] {
  return views.flatMap((v) =>
    v.proposals
      .filter((p) => OPEN_PROPOSAL_STATES.includes(p.state))
      .map((p) => ({
        id: p.id,
        incidentId: p.incidentId,
        service: p.service,
        type: p.type,
        state: p.state,
        createdAt: p.createdAt,
        expiresAt: p.expiresAt,
        ...(p.change ? { change: { branch: p.change.branch, url: p.change.url } } : {}),
        ...(p.approvals ? { approvals: p.approvals } : {}),
      })),
  );
}

/** What the report read from Temporal, or why it could not. */
export type TemporalReads =
  { reachable: true; incidents: IncidentView[]; freezes: FreezeView[] } | { reachable: false; error: string };

export interface ServiceReport {
  service: string;
  owner: { team: string; contact?: string } | null;
  approvers: string[];
  severity: ServiceAssessment['severity'];
  slos: Pick<SloAssessment, 'name' | 'objective' | 'window' | 'severity' | 'errorBudget' | 'burnRates'>[];
  /** The full gate: SLOs plus freeze and incident state; deny when Temporal could not be read. */
  gate: GateDecision;
}

export interface FleetReport {
  generatedAt: string;
  temporal: { reachable: true } | { reachable: false; error: string };
  services: ServiceReport[];
  freezes: FreezeView[];
  incidents: IncidentSummary[];
  proposals: OpenProposal[];
  queryErrors: SliFailure[];
}

export function buildReport(
  catalog: Catalog,
  evaluation: FleetEvaluation,
  temporal: TemporalReads,
  now: Date,
): FleetReport {
  const incidents = temporal.reachable ? temporal.incidents : [];
  const freezes = temporal.reachable ? temporal.freezes.filter((f) => f.state === 'frozen') : [];
  const services = catalog.services.map((service) => {
    const assessment = assessmentOf(evaluation, service.name);
    return serviceReport(
      service,
      assessment,
      catalog,
      temporal.reachable ? stateOf(service.name, incidents, freezes) : temporal.error,
    );
  });
  return {
    generatedAt: now.toISOString(),
    temporal: temporal.reachable ? { reachable: true } : { reachable: false, error: temporal.error },
    services,
    freezes,
    incidents: incidents.map((v) => summarizeIncident(v, now)),
    proposals: openProposals(incidents),
    queryErrors: evaluation.queryErrors,
  };
}

type GateState = Pick<GateInput, 'freeze' | 'incident'>;

function stateOf(service: string, incidents: IncidentView[], freezes: FreezeView[]): GateState {
  const incident = incidents.find((v) => v.service === service && isActive(v.state));
  const freeze = freezes.find((f) => f.service === service);
  return {
    ...(incident ? { incident: { id: incident.incidentId, state: incident.state } } : {}),
    ...(freeze
      ? { freeze: { until: freeze.until ?? 'the error budget recovers, then its freeze duration' } }
      : {}),
  };
}

/** `state` is the Temporal state, or the error that kept it from being read (the gate then fails closed). */
function serviceReport(
  service: Service,
  assessment: ServiceAssessment | undefined,
  catalog: Catalog,
  state: GateState | string,
): ServiceReport {
  const slos = assessment?.slos ?? [];
  const input = {
    service: service.name,
    governance: service.governance,
    slos,
    violations: catalog.violations.filter((v) => v.service === service.name),
  };
  const gate =
    typeof state === 'string'
      ? temporalUnreachable(decideGate(input), state)
      : decideGate({ ...input, ...state });
  return {
    service: service.name,
    owner: service.owner ?? null,
    approvers: service.approvers,
    severity: assessment?.severity ?? 'no-data',
    slos: slos.map(({ name, objective, window, severity, errorBudget, burnRates }) => ({
      name,
      objective,
      window,
      severity,
      errorBudget,
      burnRates,
    })),
    gate,
  };
}

/** Without Temporal, freezes and incidents are unknown: deny, keeping the SLO reasons for context. */
function temporalUnreachable(slosOnly: GateDecision, error: string): GateDecision {
  const message = `Temporal cannot be reached (${error}); SafeDeploy fails closed`;
  return failClosed(slosOnly.mode, { code: 'temporal-unavailable', message }, slosOnly.reasons);
}
