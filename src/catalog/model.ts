// The plain catalog model: what the rest of SafeDeploy reasons about. The versioned YAML spec
// (safedeploy/v1, see schema.ts) is mapped into this shape by the loader; nothing downstream
// imports the spec types.

export type OnNoData = 'deny' | 'hold';

/**
 * How the gate's verdict reaches the pipeline. enforce: as decided; advise: a deny becomes a hold
 * (the rollout pauses and a human decides); shadow: always allow, with the verdict it would have
 * given recorded. Incidents and proposals happen in every mode.
 */
export const ENFORCEMENT_MODES = ['shadow', 'advise', 'enforce'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

export interface EventsSli {
  /** PromQL with a `{{.window}}` placeholder, e.g. sum(rate(x{code=~"5.."}[{{.window}}])) */
  errorQuery: string;
  totalQuery: string;
}

export interface Slo {
  name: string;
  /** Percent, 0 < objective < 100. */
  objective: number;
  /** Prometheus duration of the rolling SLO window, e.g. "30d". */
  window: string;
  sli: { events: EventsSli };
}

export interface RolloutRef {
  name: string;
  namespace: string;
}

export type RepoRef =
  | { provider: 'github'; owner: string; name: string; baseBranch: string; baseUrl?: string }
  | { provider: 'git'; url: string; baseBranch: string };

export interface Rollback {
  strategy: 'gitops';
  repo: RepoRef;
  /** Path of the manifest holding the Rollout, relative to the repository root. */
  manifest: string;
  /**
   * Prometheus duration: only pod-template changes committed this long before a burn's onset can be
   * its suspect release. Optional in the model so observations recorded before it existed still read.
   */
  lookback?: string;
}

export const DEFAULT_ROLLBACK_LOOKBACK = '24h';

export interface Governance {
  /** Prometheus duration, e.g. "24h". */
  freezeDuration: string;
  /** Fraction of the error budget that must remain to allow promotion. */
  safetyMargin: number;
  onNoData: OnNoData;
  /** From the service, else the catalog's CatalogDefaults document, else enforce. */
  mode: EnforcementMode;
  /** Who may approve and how it is proven; absent in contexts recorded before signed actions. */
  approvals?: ApprovalPolicy;
}

/** governance.approvals: how human actions on the service are proven and how many approvers a change needs. */
export interface ApprovalPolicy {
  /** required: every human action must be signed by the actor's key; optional: unsigned ones are recorded as unsigned. */
  signatures: 'required' | 'optional';
  /** Distinct approvers (distinct names and distinct keys) before an approved change opens. */
  quorum: number;
  /** Whether the author of the release a rollback removes may approve that rollback. */
  authorMayApproveRollback: boolean;
  /** allowed_signers lines (git's format) added to the worker's SAFEDEPLOY_ALLOWED_SIGNERS for this service. */
  allowedSigners?: string;
}

export interface Service {
  name: string;
  owner?: { team: string; contact?: string };
  approvers: string[];
  slos: Slo[];
  deployment?: { strategy: string; rollout?: RolloutRef };
  rollback?: Rollback;
  governance: Governance;
  /** Names of the notification routes for this service's events; absent: the default routes. */
  notifications?: string[];
  /** Where the service was declared, for error messages. */
  source: { file: string; document: number };
}

/** enforce is the built-in mode: a catalog that says nothing keeps the gate enforcing. */
/**
 * Signed by default; one approver; the author of a bad release may approve its rollback (it only
 * restores a reviewed revision, and blocking it would slow mitigation when the author is on call).
 */
export const DEFAULT_APPROVALS: ApprovalPolicy = {
  signatures: 'required',
  quorum: 1,
  authorMayApproveRollback: true,
};

export const DEFAULT_GOVERNANCE: Governance = {
  freezeDuration: '24h',
  safetyMargin: 0.1,
  onNoData: 'deny',
  mode: 'enforce',
  approvals: DEFAULT_APPROVALS,
};

/** A structural policy violation: makes the gate deny, but is not a schema error. */
export interface PolicyViolation {
  service: string;
  code:
    | 'missing-owner'
    | 'missing-slos'
    | 'missing-approvers'
    | 'missing-rollback'
    | 'not-canary'
    /** A canary without its Argo Rollouts Rollout: promotion could not be blocked or resumed. */
    | 'missing-rollout';
  message: string;
}

export interface Catalog {
  services: Service[];
  violations: PolicyViolation[];
}
