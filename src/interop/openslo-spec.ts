// OpenSLO v1 documents as SafeDeploy reads them (the kinds an SLO needs: Service, SLO, SLI, DataSource).
// Strict where a typo would change an SLO's meaning, loose where OpenSLO allows anything (metric source
// `spec`, metadata, connection details).
import { z } from 'zod';

export const OPENSLO_API_VERSION = 'openslo/v1';
/** Kinds that carry no SLO meaning for SafeDeploy; reported as dropped with this reason. */
export const ALERTING_KINDS: Record<string, string> = {
  AlertPolicy: 'SafeDeploy derives its alerts from multi-window burn rates; alert policies are not imported',
  AlertCondition:
    'SafeDeploy derives its alerts from multi-window burn rates; alert conditions are not imported',
  AlertNotificationTarget: 'notification targets are not imported (see the catalog `notifications` field)',
};

const text = z.string().min(1, { error: 'must not be empty' });
const metadata = z.looseObject({ name: text, displayName: z.string().optional() });

const metricSource = z.strictObject({
  metricSourceRef: z.string().optional(),
  type: z.string().optional(),
  spec: z.record(z.string(), z.unknown()).optional(),
});
const metric = z.strictObject({ metricSource });

export const sliSpecSchema = z.strictObject({
  description: z.string().optional(),
  thresholdMetric: metric.optional(),
  ratioMetric: z
    .strictObject({
      counter: z.boolean().optional(),
      good: metric.optional(),
      bad: metric.optional(),
      total: metric.optional(),
      rawType: z.enum(['success', 'failure']).optional(),
      raw: metric.optional(),
    })
    .optional(),
});

const inlineIndicator = z.strictObject({ metadata, spec: sliSpecSchema });

const objective = z.strictObject({
  displayName: z.string().optional(),
  op: z.enum(['lte', 'gte', 'lt', 'gt']).optional(),
  value: z.number().optional(),
  target: z.number().optional(),
  targetPercent: z.number().optional(),
  timeSliceTarget: z.number().optional(),
  timeSliceWindow: z.union([z.string(), z.number()]).optional(),
  indicator: z.unknown().optional(),
  indicatorRef: z.string().optional(),
  compositeWeight: z.number().optional(),
});

export const sloDocumentSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal('SLO'),
  metadata,
  spec: z.strictObject({
    description: z.string().optional(),
    service: text,
    indicator: inlineIndicator.optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z
      .array(
        z.strictObject({
          duration: text,
          isRolling: z.boolean().optional(),
          calendar: z.looseObject({}).optional(),
        }),
      )
      .optional(),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objective).min(1, { error: 'must hold at least one objective' }),
    alertPolicies: z.array(z.unknown()).optional(),
  }),
});

export const sliDocumentSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal('SLI'),
  metadata,
  spec: sliSpecSchema,
});

export const serviceDocumentSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal('Service'),
  metadata,
  spec: z.looseObject({ description: z.string().optional() }).optional(),
});

export const dataSourceDocumentSchema = z.strictObject({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal('DataSource'),
  metadata,
  spec: z.looseObject({ type: text, description: z.string().optional() }),
});

export type SloDocument = z.output<typeof sloDocumentSchema>;
export type SliSpec = z.output<typeof sliSpecSchema>;
export type OpenSloMetric = z.output<typeof metric>;
export type Objective = z.output<typeof objective>;
export type ServiceDocument = z.output<typeof serviceDocumentSchema>;
export type DataSourceDocument = z.output<typeof dataSourceDocumentSchema>;
