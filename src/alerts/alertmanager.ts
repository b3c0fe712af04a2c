// Alertmanager's webhook payload (version 4) read into the alerts SafeDeploy acts on. Pure: the
// route validates and plans with these functions before anything is signalled, so a payload with
// one bad alert changes nothing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Service } from '../catalog/model';
import { contextOf, type ServiceObservation } from '../evaluation/observation';

export interface AlertIntakeOptions {
  /** The alert label naming the catalog service (default `service`). */
  serviceLabel: string;
  /** Values of the `severity` label that page (default page, critical). */
  pageSeverities: readonly string[];
}

export const DEFAULT_ALERT_INTAKE: AlertIntakeOptions = {
  serviceLabel: 'service',
  pageSeverities: ['page', 'critical'],
};

const labels = z.record(z.string(), z.string());
const time = z.string().refine((t) => !Number.isNaN(Date.parse(t)), { error: 'must be an RFC 3339 time' });

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: time,
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).max(64),
});

export const webhookSchema = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  alerts: z.array(alertSchema).max(1000),
});

export type AlertmanagerWebhook = z.output<typeof webhookSchema>;
export type Alert = AlertmanagerWebhook['alerts'][number];

export class AlertIntakeError extends Error {
  constructor(
    readonly statusCode: 400 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'AlertIntakeError';
  }
}

/** What SafeDeploy does with one alert of the payload. */
export type AlertPlan =
  | { action: 'page'; key: string; service: Service; alert: Alert; observation: ServiceObservation }
  | { action: 'ignore'; key: string; service: string; alert: Alert; reason: string };

export function parseWebhook(body: unknown): AlertmanagerWebhook {
  const parsed = webhookSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AlertIntakeError(
    400,
    `invalid Alertmanager payload: ${issue.path.join('.') || 'body'}: ${issue.message}`,
  );
}

/** Every alert of the payload, or a 422 naming each alert that names no known service. */
export function planAlerts(
  payload: AlertmanagerWebhook,
  services: readonly Service[],
  options: AlertIntakeOptions,
  now: Date,
): AlertPlan[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const problems: string[] = [];
  const plans: AlertPlan[] = [];
  payload.alerts.forEach((alert, i) => {
    const name = alert.labels[options.serviceLabel];
    const what = `alerts.${i} (${alert.labels.alertname ?? 'unnamed'})`;
    if (name === undefined) return problems.push(`${what} has no "${options.serviceLabel}" label`);
    const service = byName.get(name);
    if (!service) return problems.push(`${what}: no service "${name}" in the catalog`);
    plans.push(planAlert(payload.groupKey, alert, service, options, now));
  });
  if (problems.length > 0) throw new AlertIntakeError(422, problems.join('; '));
  return plans;
}

function planAlert(
  groupKey: string,
  alert: Alert,
  service: Service,
  options: AlertIntakeOptions,
  now: Date,
): AlertPlan {
  const key = alertKey(groupKey, alert);
  const severity = alert.labels.severity ?? '';
  if (alert.status === 'resolved')
    return {
      action: 'ignore',
      key,
      service: service.name,
      alert,
      reason: 'resolved: resolution follows SafeDeploy’s own SLO evaluation',
    };
  if (!options.pageSeverities.includes(severity))
    return {
      action: 'ignore',
      key,
      service: service.name,
      alert,
      reason: `severity "${severity}" does not page (${options.pageSeverities.join(', ')} do)`,
    };
  return { action: 'page', key, service, alert, observation: alertObservation(alert, service, now) };
}

/** HA Alertmanagers send the same notification twice: one key per group, alert and episode. */
export function alertKey(groupKey: string, alert: Alert): string {
  return createHash('sha256')
    .update(`${groupKey}\n${alert.fingerprint}\n${startOf(alert)}`)
    .digest('hex')
    .slice(0, 32);
}

/** The alert's start, normalised; evaluation times compare as strings. */
export function startOf(alert: Alert): string {
  return new Date(Date.parse(alert.startsAt)).toISOString();
}

/**
 * A page as the incident workflow understands it: a fast burn observed when the alert started (never
 * later than now). The same episode always yields the same evaluatedAt, so the workflow ignores a
 * repeat, and SafeDeploy's later evaluations take over from it.
 */
export function alertObservation(alert: Alert, service: Service, now: Date): ServiceObservation {
  const started = startOf(alert);
  const evaluatedAt = started < now.toISOString() ? started : now.toISOString();
  const name = alert.labels.alertname ?? 'alert';
  const summary = alert.annotations.summary ?? alert.annotations.description ?? '';
  return {
    service: service.name,
    evaluatedAt,
    severity: 'fast-burn',
    verdict: 'deny',
    violations: [],
    detail: {
      reasons: [
        {
          code: 'fast-burn',
          message: `Alertmanager: ${name} firing since ${started}${summary ? ` (${summary.slice(0, 200)})` : ''}`,
        },
      ],
      slos: [],
      violations: [],
      context: contextOf(service),
    },
  };
}
