// Watching the incident move, with a line every so often on what the SLOs look like meanwhile, so a
// minute-long wait for a burn-rate window reads as the control loop at work rather than a hang.
import type { Client } from '@temporalio/client';
import { evaluateFleet } from '../../evaluation/evaluate-fleet';
import { findIncident } from '../../operator/incidents';
import { PrometheusClient } from '../../prometheus/client';
import type { IncidentView } from '../../../workflows/messages';
import type { DemoContext } from './context';
import type { Say } from './runner';

const POLL_MS = 1_000;
const PROGRESS_EVERY_MS = 20_000;

/** Polls the incident (by id or service) until `done` holds; prints the SLOs now and then. */
export async function waitForIncident(
  client: Client,
  ctx: DemoContext,
  ref: string,
  done: (view: IncidentView) => boolean,
  say: Say,
): Promise<IncidentView> {
  let nextProgress = Date.now() + PROGRESS_EVERY_MS;
  for (;;) {
    const found = await findIncident(client, ref).catch(() => undefined);
    if (found && done(found.view)) return found.view;
    if (Date.now() >= nextProgress) {
      nextProgress = Date.now() + PROGRESS_EVERY_MS;
      const state = found ? `incident ${found.view.state}` : 'no incident yet';
      say(`… ${state}; ${await sloLine(ctx).catch((err: unknown) => `Prometheus: ${String(err)}`)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** "checkout fast-burn · availability burn 5m 480×, 1h 15.2×, budget 97 % · latency …", measured now. */
export async function sloLine(ctx: DemoContext): Promise<string> {
  const prometheus = new PrometheusClient({ url: ctx.prometheusUrl, timeoutMs: 5_000 });
  const evaluation = await evaluateFleet({ services: [ctx.service], violations: [] }, prometheus, new Date());
  const assessment = evaluation.services[0];
  if (!assessment) return 'not measured';
  const slos = assessment.slos.map((slo) => {
    const remaining = slo.errorBudget.remaining;
    const budget = remaining === null ? 'no data' : `${(remaining * 100).toFixed(1)}%`;
    return `${slo.name} burn 5m ${times(slo.burnRates['5m'])}, 1h ${times(slo.burnRates['1h'])}, budget ${budget}`;
  });
  return [`${assessment.service} ${assessment.severity}`, ...slos].join(' · ');
}

function times(rate: number | null): string {
  return rate === null ? 'n/a' : `${rate.toFixed(rate >= 100 ? 0 : 1)}×`;
}
