// The promotion gate (default policy), a pure function of what SafeDeploy knows about a service.
// `evaluate` feeds it SLOs and structural violations only; the `gate` command and the HTTP gate add
// freeze and incident state from Temporal. Every reason carries a stable code for scripts. The
// policy decides what enforce would answer (`wouldBe`); the service's enforcement mode then decides
// what the gate answers (`verdict`), so both are always explained by the same reasons.
import type { EnforcementMode, Governance, PolicyViolation } from '../catalog/model';
import type { SloAssessment } from '../slo/assess';
import { applyMode } from './modes';
import { unconfirmedBurns, type UnconfirmedBurn } from './unconfirmed-burn';

export type Verdict = 'allow' | 'hold' | 'deny';

export type ReasonCode =
  | 'exhausted'
  | 'fast-burn'
  | 'freeze-active'
  | 'incident-active'
  | 'policy-violation'
  | 'no-data'
  | 'slow-burn'
  | 'budget-below-margin'
  /** A window pair's short window burns past its factor; its long window has not confirmed yet. */
  | 'burning-unconfirmed'
  /** The gate could not read its inputs; it fails closed. */
  | 'prometheus-unavailable'
  | 'temporal-unavailable';

export interface GateReason {
  code: ReasonCode;
  message: string;
  /** The SLO the reason is about, when it is about one. */
  slo?: string;
  /** For burning-unconfirmed: the window pair and both burn rates. */
  burn?: UnconfirmedBurn;
}

export interface GateDecision {
  /** What the gate answers: wouldBe after the enforcement mode. */
  verdict: Verdict;
  /** What enforce would answer. */
  wouldBe: Verdict;
  mode: EnforcementMode;
  reasons: GateReason[];
}

export interface GateInput {
  service: string;
  governance: Governance;
  slos: SloAssessment[];
  violations: PolicyViolation[];
  /** Set when the service is frozen (from the freeze workflow). */
  freeze?: { until: string };
  /** Set when the service has an active (not yet resolved) incident. */
  incident?: { id: string; state: string };
}

interface Finding extends GateReason {
  verdict: Exclude<Verdict, 'allow'>;
}

export function decideGate(input: GateInput): GateDecision {
  return decide(input.governance.mode, [...sloFindings(input), ...stateFindings(input)]);
}

/**
 * The gate could not read its inputs: deny, whatever the other reasons say, then the mode (a gate in
 * shadow never blocks a pipeline, not even when SafeDeploy itself is down).
 */
export function failClosed(
  mode: EnforcementMode,
  reason: Pick<GateReason, 'code' | 'message'>,
  context: readonly GateReason[] = [],
): GateDecision {
  return { verdict: applyMode(mode, 'deny'), wouldBe: 'deny', mode, reasons: [reason, ...context] };
}

function decide(mode: EnforcementMode, findings: Finding[]): GateDecision {
  const wouldBe: Verdict = findings.some((f) => f.verdict === 'deny')
    ? 'deny'
    : findings.length > 0
      ? 'hold'
      : 'allow';
  // Deny reasons first: they are the ones a human must clear.
  const ordered = [
    ...findings.filter((f) => f.verdict === 'deny'),
    ...findings.filter((f) => f.verdict === 'hold'),
  ];
  return {
    verdict: applyMode(mode, wouldBe),
    wouldBe,
    mode,
    reasons: ordered.map(({ verdict: _v, ...reason }) => reason),
  };
}

function sloFindings({ slos, governance }: GateInput): Finding[] {
  const findings: Finding[] = [];
  for (const slo of slos) findings.push(...findingsForSlo(slo, governance), ...unconfirmedFindings(slo));
  return findings;
}

function unconfirmedFindings(slo: SloAssessment): Finding[] {
  return unconfirmedBurns(slo).map((burn) => ({
    ...hold(
      'burning-unconfirmed',
      slo.name,
      `SLO ${slo.name} (${slo.objective}% over ${slo.window}): burning, not yet confirmed: ` +
        `${burn.short} ${fmt(burn.shortBurnRate)}x exceeds ${fmt(burn.factor)}x while ${burn.long} is ` +
        `${fmt(burn.longBurnRate)}x (${burn.severity} pair ${burn.short}/${burn.long}); held until ` +
        `${burn.long} confirms or the burn fades`,
    ),
    burn,
  }));
}

function findingsForSlo(slo: SloAssessment, governance: Governance): Finding[] {
  const at = `SLO ${slo.name} (${slo.objective}% over ${slo.window})`;
  const remaining = slo.errorBudget.remaining;
  switch (slo.severity) {
    case 'exhausted':
      return [deny('exhausted', slo.name, `${at}: error budget exhausted (${percent(remaining)} remaining)`)];
    case 'fast-burn':
      return [
        deny(
          'fast-burn',
          slo.name,
          `${at}: fast burn (1h ${fmt(slo.burnRates['1h'])}x, 6h ${fmt(slo.burnRates['6h'])}x)`,
        ),
      ];
    case 'no-data': {
      const message = `${at}: no data from Prometheus; SafeDeploy fails closed (onNoData: ${governance.onNoData})`;
      return [{ verdict: governance.onNoData, code: 'no-data', slo: slo.name, message }];
    }
    case 'slow-burn':
      return [
        hold(
          'slow-burn',
          slo.name,
          `${at}: slow burn (1d ${fmt(slo.burnRates['1d'])}x, 3d ${fmt(slo.burnRates['3d'])}x)`,
        ),
        ...marginFinding(slo, governance, at),
      ];
    case 'normal':
      return marginFinding(slo, governance, at);
  }
}

function marginFinding(slo: SloAssessment, governance: Governance, at: string): Finding[] {
  const remaining = slo.errorBudget.remaining;
  if (remaining === null || remaining >= governance.safetyMargin) return [];
  return [
    hold(
      'budget-below-margin',
      slo.name,
      `${at}: ${percent(remaining)} of the error budget left, below the safety margin of ${percent(governance.safetyMargin)}`,
    ),
  ];
}

function stateFindings({ violations, freeze, incident }: GateInput): Finding[] {
  const findings: Finding[] = violations.map((v) =>
    deny('policy-violation', undefined, `${v.code}: ${v.message}`),
  );
  if (freeze) findings.push(deny('freeze-active', undefined, `frozen until ${freeze.until}`));
  if (incident)
    findings.push(deny('incident-active', undefined, `incident ${incident.id} is ${incident.state}`));
  return findings;
}

function deny(code: ReasonCode, slo: string | undefined, message: string): Finding {
  return { verdict: 'deny', code, message, ...(slo ? { slo } : {}) };
}

function hold(code: ReasonCode, slo: string | undefined, message: string): Finding {
  return { verdict: 'hold', code, message, ...(slo ? { slo } : {}) };
}

function fmt(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(1);
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}
