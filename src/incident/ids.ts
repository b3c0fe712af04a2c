// Deterministic identifiers. Workflow ids enforce "one active incident per service": Temporal
// refuses a second running workflow with the same id, so no lookup-then-create race exists.

/**
 * e.g. checkout-20260101t000000z (an SLO incident) or checkout-policy-20260101t000000z: readable,
 * sortable, unique per service, kind and detection time (both kinds can open in the same cycle).
 */
export function incidentIdFor(service: string, detectedAt: string, kind: 'slo' | 'policy' = 'slo'): string {
  const compact = detectedAt
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '')
    .toLowerCase();
  return kind === 'policy' ? `${service}-policy-${compact}` : `${service}-${compact}`;
}

export const workflowIds = {
  /** The service's active SLO incident (detected → resolved). */
  incident: (service: string) => `incident-${service}`,
  /** The service's active policy incident (structural violations in the catalog). */
  policyIncident: (service: string) => `policy-incident-${service}`,
  /** A resolved incident awaiting its postmortem; it no longer blocks a new incident. */
  postmortem: (incidentId: string) => `postmortem-${incidentId}`,
  freeze: (service: string) => `freeze-${service}`,
  fleetEvaluation: 'safedeploy-fleet-evaluation',
} as const;
