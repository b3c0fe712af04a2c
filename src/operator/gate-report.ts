// `report --gate`: what the gate answered, and what enforce would have answered, per service and
// mode over a period, with the reasons behind every would-be hold or deny. The evidence a team reads
// before moving a service from shadow to advise to enforce. Pure: records in, summary out.
import type { EnforcementMode } from '../catalog/model';
import type { ReasonCode, Verdict } from '../policy/gate';
import type { GateRecord } from './gate-record';

export type VerdictCounts = Record<Verdict, number>;

export interface ModeSummary {
  mode: EnforcementMode;
  answers: number;
  /** What the pipelines were told. */
  answered: VerdictCounts;
  /** What enforce would have told them. */
  wouldBe: VerdictCounts;
  /** Reasons of the answers enforce would not have allowed, most frequent first. */
  reasons: { code: ReasonCode; count: number }[];
  firstAt: string;
  lastAt: string;
}

export interface ServiceGateSummary {
  service: string;
  modes: ModeSummary[];
}

export interface GateReport {
  generatedAt: string;
  /** Answers evaluated at or after this instant are counted. */
  since: string;
  answers: number;
  services: ServiceGateSummary[];
}

const MODE_ORDER: readonly EnforcementMode[] = ['shadow', 'advise', 'enforce'];

export function buildGateReport(records: readonly GateRecord[], since: Date, now: Date): GateReport {
  const inPeriod = records.filter((r) => {
    const at = Date.parse(r.at);
    return at >= since.getTime() && at <= now.getTime();
  });
  const byService = new Map<string, GateRecord[]>();
  for (const r of inPeriod) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
  return {
    generatedAt: now.toISOString(),
    since: since.toISOString(),
    answers: inPeriod.length,
    services: [...byService.keys()].sort().map((service) => ({
      service,
      modes: summarizeModes(byService.get(service) ?? []),
    })),
  };
}

function summarizeModes(records: readonly GateRecord[]): ModeSummary[] {
  return MODE_ORDER.flatMap((mode) => {
    const ofMode = records.filter((r) => r.mode === mode);
    return ofMode.length === 0 ? [] : [summarize(mode, ofMode)];
  });
}

function summarize(mode: EnforcementMode, records: readonly GateRecord[]): ModeSummary {
  const answered = zero();
  const wouldBe = zero();
  const reasons = new Map<ReasonCode, number>();
  for (const r of records) {
    answered[r.verdict]++;
    wouldBe[r.wouldBe]++;
    if (r.wouldBe === 'allow') continue;
    // Each answer counts a reason once, however many SLOs gave it.
    for (const code of new Set(r.reasons.map((x) => x.code))) reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  const times = records.map((r) => r.at).sort();
  return {
    mode,
    answers: records.length,
    answered,
    wouldBe,
    reasons: [...reasons]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    firstAt: times[0] ?? '',
    lastAt: times[times.length - 1] ?? '',
  };
}

function zero(): VerdictCounts {
  return { allow: 0, hold: 0, deny: 0 };
}
