// Change attribution for an incident: when the burn began (one range query per burning SLO), which
// release preceded it and what to restore (the environment repository's history), and what the release
// cost each SLO's budget by the time it was mitigated. The rules live in src/slo/onset.ts and
// src/gitops/attribution.ts; these activities only read Prometheus, the catalog and git.
import { CatalogError } from '../src/catalog/errors';
import { loadCatalog } from '../src/catalog/loader';
import { DEFAULT_ROLLBACK_LOOKBACK, type Slo } from '../src/catalog/model';
import type { ServiceContext, SloDigest } from '../src/evaluation/observation';
import { attributeRelease, type ReleaseAttribution } from '../src/gitops/attribution';
import { providerFor } from '../src/gitops/factory';
import { GitOpsInputError } from '../src/gitops/provider';
import type { BurnOnset, OnsetQuery, ReleaseSpend } from '../src/incident/attribution';
import { renderQuery } from '../src/prometheus/measure';
import { isBurning, type Severity } from '../src/slo/severity';
import {
  baselineRatio,
  budgetSpent,
  findOnset,
  ONSET_RATIO_WINDOW,
  onsetQueryPlan,
  type RatioPoint,
} from '../src/slo/onset';
import { durationSeconds } from '../src/slo/windows';
import type { ActivityDeps } from './index';
import { nonRetryableFailure } from './failures';

export interface OnsetInput {
  service: string;
  severity: Severity;
  detectedAt: string;
  slos: SloDigest[];
  /** The catalog's rollback.lookback when the incident opened. */
  lookback?: string;
}

export interface AttributeInput {
  context: ServiceContext;
  service: string;
  onset: string;
}

export interface SpendInput {
  service: string;
  slos: { name: string; objective: number; window: string }[];
  onset: string;
  until: string;
}

export function createAttributionActivities({ catalogDir, prometheus, providers }: ActivityDeps) {
  const slosOf = async (service: string): Promise<Slo[]> => {
    try {
      const catalog = await loadCatalog(catalogDir);
      return catalog.services.find((s) => s.name === service)?.slos ?? [];
    } catch (err) {
      if (err instanceof CatalogError) throw nonRetryableFailure(err);
      throw err;
    }
  };

  /** The ratio of an SLO's errors to its total over `window`, as PromQL. */
  const ratioExpr = (slo: Slo, window: string) =>
    `(${renderQuery(slo.sli.events.errorQuery, window)}) / (${renderQuery(slo.sli.events.totalQuery, window)})`;

  return {
    /** When the burn began: the earliest onset over the burning SLOs (src/slo/onset.ts states the rule). */
    async locateBurnOnset(input: OnsetInput): Promise<BurnOnset> {
      const detectedAt = new Date(input.detectedAt);
      const lookback = durationSeconds(input.lookback ?? DEFAULT_ROLLBACK_LOOKBACK);
      const plan = onsetQueryPlan(input.severity, detectedAt, lookback, new Date());
      const burning = new Set(input.slos.filter((s) => isBurning(s.severity)).map((s) => s.name));
      const slos = (await slosOf(input.service)).filter((s) => burning.size === 0 || burning.has(s.name));
      const queries: OnsetQuery[] = [];
      let earliest: { at: number; slo: string; atWindowStart: boolean } | undefined;
      for (const slo of slos) {
        const expr = ratioExpr(slo, ONSET_RATIO_WINDOW);
        const series = await prometheus.queryRange(expr, plan.start, plan.end, plan.stepSeconds);
        const points: RatioPoint[] = series.flatMap((s) =>
          s.points.map((p) => ({ at: p.at, ratio: p.value })),
        );
        const onset = findOnset(points, baselineRatio(slo.objective));
        queries.push({
          slo: slo.name,
          expr,
          start: plan.start.toISOString(),
          end: plan.end.toISOString(),
          stepSeconds: plan.stepSeconds,
          onset: onset.found ? new Date(onset.at * 1000).toISOString() : null,
        });
        if (onset.found && (!earliest || onset.at < earliest.at))
          earliest = { at: onset.at, slo: slo.name, atWindowStart: onset.atWindowStart };
      }
      if (!earliest) {
        return {
          at: input.detectedAt,
          source: 'detection',
          slo: null,
          atWindowStart: false,
          ratioWindow: ONSET_RATIO_WINDOW,
          queries,
          note:
            slos.length === 0
              ? `the catalog has no burning SLO of ${input.service} to query`
              : `no ${ONSET_RATIO_WINDOW} error ratio above its baseline in the window; the detection time stands in`,
        };
      }
      return {
        at: new Date(earliest.at * 1000).toISOString(),
        source: 'prometheus',
        slo: earliest.slo,
        atWindowStart: earliest.atWindowStart,
        ratioWindow: ONSET_RATIO_WINDOW,
        queries,
      };
    },

    /** The suspect release and the revision to restore (src/gitops/attribution.ts states the rule). */
    async attributeRelease({ context, service, onset }: AttributeInput): Promise<ReleaseAttribution> {
      if (!context.rollback || !context.rollout)
        return {
          kind: 'none',
          reason: `the catalog defines no rollback repository or rollout for ${service}`,
        };
      const lookback = context.rollback.lookback ?? DEFAULT_ROLLBACK_LOOKBACK;
      try {
        return await attributeRelease({
          provider: providerFor(context.rollback.repo, providers),
          manifestPath: context.rollback.manifest,
          rollout: context.rollout,
          service,
          onset: new Date(onset),
          lookbackSeconds: durationSeconds(lookback),
        });
      } catch (err) {
        if (err instanceof GitOpsInputError) return { kind: 'none', reason: err.message };
        throw err;
      }
    },

    /** Budget spent per SLO between the onset and `until` (mitigation), from each SLO's error ratio. */
    async measureReleaseSpend({ service, slos, onset, until }: SpendInput): Promise<ReleaseSpend[]> {
      const seconds = Math.max(1, Math.round((Date.parse(until) - Date.parse(onset)) / 1000));
      const bySlo = new Map((await slosOf(service)).map((s) => [s.name, s]));
      const spent: ReleaseSpend[] = [];
      for (const digest of slos) {
        const slo = bySlo.get(digest.name);
        if (!slo) continue;
        // The ratio over exactly the span; SLIs that only answer for fixed windows get the span's
        // average of the short-window ratio instead.
        let expr = ratioExpr(slo, `${seconds}s`);
        let [sample] = await prometheus.query(expr, new Date(until));
        if (sample?.value === null || sample === undefined) {
          expr = `avg_over_time((${ratioExpr(slo, ONSET_RATIO_WINDOW)})[${seconds}s:])`;
          [sample] = await prometheus.query(expr, new Date(until));
        }
        const ratio = sample?.value ?? null;
        spent.push({
          slo: slo.name,
          objective: slo.objective,
          window: slo.window,
          from: onset,
          until,
          errorRatio: ratio,
          budgetShare:
            ratio === null ? null : budgetSpent(ratio, slo.objective, seconds, durationSeconds(slo.window)),
          expr,
        });
      }
      return spent;
    },
  };
}
