// Sloth's two spellings of one spec, read strictly: the `prometheus/v1` file (snake_case) and the
// `PrometheusServiceLevel` CRD (sloth.slok.dev/v1, camelCase). Both map into one plain Sloth model, so
// the conversion to SafeDeploy is written once (sloth.ts).
import { z } from 'zod';

export const SLOTH_FILE_VERSION = 'prometheus/v1';
export const SLOTH_CRD_API_VERSION = 'sloth.slok.dev/v1';
export const SLOTH_CRD_KIND = 'PrometheusServiceLevel';

/** The plain Sloth model; `alerting` and plugins are kept only to report them as dropped. */
export interface SlothSlo {
  name: string;
  description?: string;
  objective: number;
  labels: Record<string, string>;
  plugins: boolean;
  sli: {
    events?: { errorQuery: string; totalQuery: string };
    raw?: { errorRatioQuery: string };
    plugin?: { id: string };
  };
  alerting: boolean;
}

export interface SlothSpec {
  service: string;
  labels: Record<string, string>;
  plugins: boolean;
  slos: SlothSlo[];
  /** Field names as the document spells them, for the report's paths. */
  paths: { slos: string; plugins: string; alerting: string };
}

const text = z.string().min(1, { error: 'must not be empty' });
const labels = z.record(z.string(), z.string());
const alert = z.strictObject({
  disable: z.boolean().optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
});
const plugins = z.strictObject({ overridePrevious: z.boolean().optional(), chain: z.array(z.unknown()) });
const sliPlugin = z.strictObject({ id: text, options: z.record(z.string(), z.string()).optional() });

const fileSlo = z.strictObject({
  name: text,
  description: z.string().optional(),
  objective: z.number(),
  plugins: plugins.optional(),
  labels: labels.optional(),
  sli: z.strictObject({
    raw: z.strictObject({ error_ratio_query: text }).optional(),
    events: z.strictObject({ error_query: text, total_query: text }).optional(),
    plugin: sliPlugin.optional(),
  }),
  alerting: z
    .strictObject({
      name: z.string().optional(),
      labels: labels.optional(),
      annotations: labels.optional(),
      page_alert: alert.optional(),
      ticket_alert: alert.optional(),
    })
    .optional(),
});

export const slothFileSchema = z.strictObject({
  version: z.literal(SLOTH_FILE_VERSION),
  service: text,
  labels: labels.optional(),
  slo_plugins: plugins.optional(),
  slos: z.array(fileSlo).optional(),
});

const crdSlo = z.strictObject({
  name: text,
  description: z.string().optional(),
  objective: z.number(),
  plugins: plugins.optional(),
  labels: labels.optional(),
  sli: z.strictObject({
    raw: z.strictObject({ errorRatioQuery: text }).optional(),
    events: z.strictObject({ errorQuery: text, totalQuery: text }).optional(),
    plugin: sliPlugin.optional(),
  }),
  alerting: z
    .strictObject({
      name: z.string().optional(),
      labels: labels.optional(),
      annotations: labels.optional(),
      pageAlert: alert.optional(),
      ticketAlert: alert.optional(),
    })
    .optional(),
});

export const slothCrdSchema = z.strictObject({
  apiVersion: z.literal(SLOTH_CRD_API_VERSION),
  kind: z.literal(SLOTH_CRD_KIND),
  metadata: z.looseObject({ name: text }),
  spec: z.strictObject({
    service: text,
    labels: labels.optional(),
    sloPlugins: plugins.optional(),
    slos: z.array(crdSlo).optional(),
  }),
  status: z.unknown().optional(),
});

type FileSlo = z.output<typeof fileSlo>;
type CrdSlo = z.output<typeof crdSlo>;

/** Anything in an alerting block is configuration for alerts Sloth would generate. */
function hasAlerting(alerting: object | undefined): boolean {
  return alerting !== undefined && Object.keys(alerting).length > 0;
}

export function fromSlothFile(spec: z.output<typeof slothFileSchema>): SlothSpec {
  return {
    service: spec.service,
    labels: spec.labels ?? {},
    plugins: spec.slo_plugins !== undefined,
    slos: (spec.slos ?? []).map((slo: FileSlo) => ({
      name: slo.name,
      ...(slo.description !== undefined && { description: slo.description }),
      objective: slo.objective,
      labels: slo.labels ?? {},
      plugins: slo.plugins !== undefined,
      sli: {
        ...(slo.sli.events && {
          events: { errorQuery: slo.sli.events.error_query, totalQuery: slo.sli.events.total_query },
        }),
        ...(slo.sli.raw && { raw: { errorRatioQuery: slo.sli.raw.error_ratio_query } }),
        ...(slo.sli.plugin && { plugin: { id: slo.sli.plugin.id } }),
      },
      alerting: hasAlerting(slo.alerting),
    })),
    paths: { slos: 'slos', plugins: 'slo_plugins', alerting: 'alerting' },
  };
}

export function fromSlothCrd(crd: z.output<typeof slothCrdSchema>): SlothSpec {
  const { spec } = crd;
  return {
    service: spec.service,
    labels: spec.labels ?? {},
    plugins: spec.sloPlugins !== undefined,
    slos: (spec.slos ?? []).map((slo: CrdSlo) => ({
      name: slo.name,
      ...(slo.description !== undefined && { description: slo.description }),
      objective: slo.objective,
      labels: slo.labels ?? {},
      plugins: slo.plugins !== undefined,
      sli: {
        ...(slo.sli.events && { events: { ...slo.sli.events } }),
        ...(slo.sli.raw && { raw: { ...slo.sli.raw } }),
        ...(slo.sli.plugin && { plugin: { id: slo.sli.plugin.id } }),
      },
      alerting: hasAlerting(slo.alerting),
    })),
    paths: { slos: 'spec.slos', plugins: 'spec.sloPlugins', alerting: 'alerting' },
  };
}
