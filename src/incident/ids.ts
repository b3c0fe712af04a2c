// Deterministic incident identifiers. The workflow ids that carry them are in workflows/messages.ts.

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
