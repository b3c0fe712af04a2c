// An OpenSLO indicator (inline or referenced SLI) → SafeDeploy event queries. Ratio metrics over counters
// and thresholds on histograms carry over; raw ratios, gauges and non-PromQL sources do not.
import type { EventsSli } from '../catalog/model';
import type { DataSourceDocument, Objective, OpenSloMetric, SliSpec } from './openslo-spec';
import { counterEventsQuery, errorsFromGood, histogramThresholdEvents } from './queries';

export type IndicatorResult = { events: EventsSli; notes: string[] } | { problem: string };

/** Metric source types that answer PromQL over the Prometheus HTTP API. */
const PROMQL_SOURCES = new Set(['prometheus', 'thanos', 'cortex', 'mimir', 'victoriametrics']);

export function indicatorEvents(
  sli: SliSpec,
  objective: Objective,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): IndicatorResult {
  if (sli.ratioMetric) return ratioEvents(sli.ratioMetric, dataSources);
  if (sli.thresholdMetric) {
    const query = metricQuery(sli.thresholdMetric, dataSources);
    if ('problem' in query) return query;
    if (objective.op === undefined || objective.value === undefined)
      return { problem: 'a threshold metric needs the objective\'s "op" and "value"' };
    const result = histogramThresholdEvents(query.query, objective.op, objective.value);
    if ('problem' in result) return result;
    return { events: { errorQuery: result.errorQuery, totalQuery: result.totalQuery }, notes: result.notes };
  }
  return { problem: 'the indicator has neither ratioMetric nor thresholdMetric' };
}

function ratioEvents(
  ratio: NonNullable<SliSpec['ratioMetric']>,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): IndicatorResult {
  if (ratio.raw)
    return {
      problem:
        'a raw (precomputed) ratio has no event counts, which SafeDeploy needs to weigh windows by traffic',
    };
  if (ratio.counter === false)
    return {
      problem: 'counter: false (a gauge) has no events to count over a window; SafeDeploy needs counters',
    };
  if (!ratio.total) return { problem: 'ratioMetric has no "total"' };
  if ((ratio.good === undefined) === (ratio.bad === undefined))
    return { problem: 'ratioMetric needs exactly one of "good" and "bad"' };
  const total = counterQuery(ratio.total, dataSources);
  const part = counterQuery((ratio.bad ?? ratio.good)!, dataSources);
  if ('problem' in total) return total;
  if ('problem' in part) return part;
  const notes = [total.note, part.note].filter((n): n is string => n !== undefined);
  const errorQuery = ratio.bad ? part.query : errorsFromGood(total.query, part.query);
  return { events: { errorQuery, totalQuery: total.query }, notes };
}

function counterQuery(
  metric: OpenSloMetric,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): { query: string; note?: string } | { problem: string } {
  const query = metricQuery(metric, dataSources);
  return 'problem' in query ? query : counterEventsQuery(query.query);
}

function metricQuery(
  metric: OpenSloMetric,
  dataSources: ReadonlyMap<string, DataSourceDocument>,
): { query: string } | { problem: string } {
  const { metricSourceRef, type, spec } = metric.metricSource;
  const referenced = metricSourceRef === undefined ? undefined : dataSources.get(metricSourceRef);
  if (metricSourceRef !== undefined && type === undefined && referenced === undefined)
    return { problem: `metricSourceRef "${metricSourceRef}" names no DataSource in the inputs` };
  const sourceType = type ?? referenced?.spec.type;
  if (sourceType === undefined) return { problem: 'the metric source has no type (and no metricSourceRef)' };
  if (!PROMQL_SOURCES.has(sourceType.toLowerCase()))
    return {
      problem: `data source type "${sourceType}" does not answer PromQL; SafeDeploy reads Prometheus-compatible backends only`,
    };
  const query = spec?.query;
  if (typeof query !== 'string' || query.trim() === '')
    return { problem: 'the metric source has no spec.query' };
  return { query };
}
