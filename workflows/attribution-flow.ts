// Change attribution inside the incident workflow: the burn's onset when the incident opens, the
// suspect release and rollback target when the rollback is proposed, the budget the release spent
// once the incident is mitigated. Each step is one activity; the rules live in src/.
import { ActivityFailure, patched } from '@temporalio/workflow';
import { DEFAULT_ROLLBACK_LOOKBACK } from '../src/catalog/model';
import type { ReleaseAttribution, ReleaseRevision } from '../src/gitops/attribution';
import {
  attributionSummary,
  releaseLabel,
  spendSentence,
  type AttributedRevision,
  type Attribution,
  type BurnOnset,
} from '../src/incident/attribution';
import type { RollbackTarget } from '../src/incident/proposals';
import { ONSET_RATIO_WINDOW } from '../src/slo/onset';
import { actuating, measuring } from './proxies';
import { SAFEDEPLOY_ACTOR, type IncidentRecord } from './incident-record';

/** Incidents started before attribution existed keep choosing targets by their last healthy time. */
export const ATTRIBUTION_PATCH = 'burn-onset-release-attribution';

/** Whether this incident attributes its rollback (SLO incidents of workers with this code). */
export function attributes(record: IncidentRecord): boolean {
  return record.view.kind === 'slo' && patched(ATTRIBUTION_PATCH);
}

/** Once, as the incident opens: when did the burn begin? */
export async function locateOnset(record: IncidentRecord): Promise<void> {
  const v = record.view;
  if (v.onset) return;
  const onset = await measuring.locateBurnOnset
    .executeWithOptions({ summary: `find when ${v.service}'s burn began` }, [
      {
        service: v.service,
        severity: v.latest?.severity ?? 'fast-burn',
        detectedAt: v.detectedAt,
        slos: v.slos ?? [],
        ...(v.context?.rollback?.lookback ? { lookback: v.context.rollback.lookback } : {}),
      },
    ])
    .catch((err: unknown): BurnOnset => {
      if (!(err instanceof ActivityFailure)) throw err;
      return {
        at: v.detectedAt,
        source: 'detection',
        slo: null,
        atWindowStart: false,
        ratioWindow: ONSET_RATIO_WINDOW,
        queries: [],
        note: `Prometheus could not be read (${err.cause?.message ?? err.message}); the detection time stands in`,
      };
    });
  v.onset = onset;
  v.attribution = { service: v.service, onset, lookback: lookbackOf(record), outcome: 'pending' };
  record.note('evaluation', SAFEDEPLOY_ACTOR, onsetMessage(onset));
  record.queueEvidence('attribution.json', v.attribution);
  record.queueAudit('incidents', {
    type: 'burn-onset',
    incidentId: v.incidentId,
    service: v.service,
    onset: onset.at,
    source: onset.source,
    slo: onset.slo,
    queries: onset.queries.map((q) => q.expr),
  });
  record.publish();
}

/** The rollback target of an attributed incident, or undefined (with the reason in the timeline). */
export async function planAttributedRollback(record: IncidentRecord): Promise<RollbackTarget | undefined> {
  const v = record.view;
  const onset = v.onset!;
  const result = await actuating.attributeRelease
    .executeWithOptions({ summary: `find the release that preceded ${v.service}'s burn` }, [
      { context: v.context!, service: v.service, onset: onset.at },
    ])
    // The repository stayed unreachable through every retry: record it, keep the incident alive.
    .catch((err: unknown): ReleaseAttribution => {
      if (!(err instanceof ActivityFailure)) throw err;
      return {
        kind: 'none',
        reason: `the environment repository could not be read: ${err.cause?.message ?? err.message}`,
      };
    });
  const attribution = attributionOf(record, onset, result);
  v.attribution = attribution;
  record.note('proposal', SAFEDEPLOY_ACTOR, attributionSummary(attribution));
  record.queueEvidence('attribution.json', attribution);
  record.queueAudit('incidents', {
    type: 'attribution',
    incidentId: v.incidentId,
    service: v.service,
    onset: onset.at,
    outcome: attribution.outcome,
    suspect: attribution.suspect?.sha ?? null,
    target: attribution.target?.sha ?? null,
    ...(attribution.reason ? { reason: attribution.reason } : {}),
  });
  record.publish();
  if (result.kind === 'none') return undefined;
  return {
    sha: result.target.sha,
    date: result.target.date,
    images: imagesOf(result.target),
    currentImages: imagesOf(result.base),
    base: result.base.sha,
    suspect: {
      sha: result.suspect.sha,
      date: result.suspect.date,
      author: result.suspect.author,
      subject: result.suspect.subject,
    },
  };
}

/** Why SafeDeploy proposes this rollback, in the proposal itself. */
export function attributedRationale(record: IncidentRecord): string {
  const a = record.view.attribution!;
  return (
    `${record.view.service} is ${record.view.severity}; ${releaseLabel(a.suspect!)} (${a.suspect!.sha.slice(0, 12)}, ` +
    `committed ${a.suspect!.date}) is the last pod-template change before the burn began at ${a.onset.at}: ` +
    `restore ${releaseLabel(a.target!)} (${a.target!.sha.slice(0, 12)})`
  );
}

/** Once mitigated (or resolved): the budget the suspect release spent from onset to then. */
export async function measureSpend(record: IncidentRecord): Promise<void> {
  const v = record.view;
  const a = v.attribution;
  if (!a?.suspect || a.spent) return;
  const ended = v.transitions.find((t) => t.to === 'mitigated' || t.to === 'resolved');
  if (!ended) return;
  a.spent = await measuring.measureReleaseSpend
    .executeWithOptions({ summary: `measure the budget ${releaseLabel(a.suspect)} spent` }, [
      {
        service: v.service,
        slos: (v.slos ?? []).map((s) => ({ name: s.name, objective: s.objective, window: s.window })),
        onset: a.onset.at,
        until: ended.at,
      },
    ])
    .catch((err: unknown) => {
      if (!(err instanceof ActivityFailure)) throw err;
      record.note(
        'evaluation',
        SAFEDEPLOY_ACTOR,
        `budget spent not measured: ${err.cause?.message ?? err.message}`,
      );
      return [];
    });
  for (const spend of a.spent) record.note('evaluation', SAFEDEPLOY_ACTOR, spendSentence(a, spend));
  record.queueEvidence('attribution.json', a);
  record.queueAudit('incidents', {
    type: 'release-spend',
    incidentId: v.incidentId,
    suspect: a.suspect.sha,
    spent: a.spent.map((s) => ({ slo: s.slo, budgetShare: s.budgetShare, from: s.from, until: s.until })),
  });
  record.publish();
}

function attributionOf(record: IncidentRecord, onset: BurnOnset, result: ReleaseAttribution): Attribution {
  const base = { service: record.view.service, onset, lookback: lookbackOf(record) };
  if (result.kind === 'none')
    return {
      ...base,
      outcome: 'none',
      reason: result.reason,
      ...(result.runningSince ? { current: revisionOf(result.runningSince) } : {}),
    };
  return {
    ...base,
    outcome: 'rollback',
    suspect: revisionOf(result.suspect),
    target: revisionOf(result.target),
    current: revisionOf(result.base),
    afterOnset: result.afterOnset,
  };
}

function revisionOf(r: ReleaseRevision): AttributedRevision {
  return { sha: r.sha, date: r.date, author: r.author, subject: r.subject, images: imagesOf(r) };
}

function imagesOf(r: ReleaseRevision): { container: string; image: string }[] {
  return r.images.map(({ container, image }) => ({ container, image }));
}

function lookbackOf(record: IncidentRecord): string {
  return record.view.context?.rollback?.lookback ?? DEFAULT_ROLLBACK_LOOKBACK;
}

function onsetMessage(onset: BurnOnset): string {
  if (onset.source === 'detection')
    return `burn onset taken as the detection time ${onset.at}: ${onset.note ?? ''}`;
  const earlier = onset.atWindowStart ? ' (or earlier: the whole window was elevated)' : '';
  return `burn began at ${onset.at}${earlier}: ${onset.slo}'s ${onset.ratioWindow} error ratio left its baseline`;
}
