// Severities and their order. Two orders matter: classification is first-match-wins (no-data before
// exhausted before burning), while the service roll-up takes the worst, where no-data ranks below the
// burning states: a service with one burning SLO is burning even if another SLO has no data.

export const SEVERITIES = ['normal', 'no-data', 'slow-burn', 'fast-burn', 'exhausted'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse, for the roll-up: exhausted > fast-burn > slow-burn > no-data > normal. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function worstSeverity(severities: Iterable<Severity>): Severity {
  let worst: Severity = 'normal';
  for (const s of severities) if (severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}

/** Severities that make SafeDeploy open (or keep) an incident for a service. */
export function isBurning(severity: Severity): boolean {
  return severity === 'fast-burn' || severity === 'slow-burn' || severity === 'exhausted';
}
