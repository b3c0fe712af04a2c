/** The audit log's streams (docs/ARCHITECTURE.md invariant 7): one append-only, hash-chained file each. */
export const AUDIT_STREAMS = [
  'evaluations',
  'incidents',
  'proposals',
  'approvals',
  'governance',
  /** Every gate answer (API and CLI), for `report --gate`. */
  'gate',
  'notifications',
] as const;
export type AuditStream = (typeof AUDIT_STREAMS)[number];
