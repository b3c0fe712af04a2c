// How recorded SLI series are named and labelled. The names and labels follow Sloth's conventions
// (series `slo:sli_error:ratio_rate<window>` with labels sloth_id, sloth_service, sloth_slo and
// sloth_window), so dashboards and queries written for Sloth read SafeDeploy's series too. One label is
// SafeDeploy's own: safedeploy_sli, a digest of the SLI's queries, so a reader never takes series
// recorded from an older definition of the SLI for the current one.
import { createHash } from 'node:crypto';
import type { Service, Slo } from '../catalog/model';

export const SLI_ERROR_METRIC = 'slo:sli_error:ratio_rate';
export const LABEL = {
  id: 'sloth_id',
  service: 'sloth_service',
  slo: 'sloth_slo',
  window: 'sloth_window',
  severity: 'sloth_severity',
  sli: 'safedeploy_sli',
} as const;

/** The short window whose recorded ratio the SLO-window ratio averages (Sloth uses its page-quick short window). */
export const PERIOD_SOURCE_WINDOW = '5m';

/** Bumped when the recorded expression changes meaning, so older series stop matching. */
const EXPRESSION_VERSION = 'v1';

export function sliErrorMetric(window: string): string {
  return `${SLI_ERROR_METRIC}${window}`;
}

/** Sloth's SLO id: `<service>-<slo>`. */
export function sloId(service: string, slo: string): string {
  return `${service}-${slo}`;
}

/** A fleet cycle reuses each loaded SLO's digest instead of hashing 10,000 queries again. */
const digests = new WeakMap<Slo['sli'], { errorQuery: string; totalQuery: string; digest: string }>();

/** A digest of what the recorded ratio means: the SLI's two queries (not the objective or window). */
export function sliDigest(slo: Slo): string {
  const { errorQuery, totalQuery } = slo.sli.events;
  const cached = digests.get(slo.sli);
  if (cached && cached.errorQuery === errorQuery && cached.totalQuery === totalQuery) return cached.digest;
  const digest = createHash('sha256')
    .update(`${EXPRESSION_VERSION}\n${errorQuery}\n${totalQuery}`)
    .digest('hex')
    .slice(0, 12);
  digests.set(slo.sli, { errorQuery, totalQuery, digest });
  return digest;
}

/** The labels that identify one SLO's recorded series (all but the window). */
export function identityLabels(service: Service, slo: Slo): Record<string, string> {
  return {
    [LABEL.id]: sloId(service.name, slo.name),
    [LABEL.service]: service.name,
    [LABEL.slo]: slo.name,
    [LABEL.sli]: sliDigest(slo),
  };
}

/** `{a="x", b="y"}`; values are quoted as PromQL string literals. */
export function selector(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${pairs.join(', ')}}`;
}
