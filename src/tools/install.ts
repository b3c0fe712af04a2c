// `safedeploy tools install`: make sure the external tools SafeDeploy runs locally are present.
import { ensureAlertmanager } from './alertmanager-bin';
import type { EnsureToolOptions } from './log';
import { ensurePrometheus } from './prometheus-bin';
import { ensureTemporalCli } from './temporal-cli';

export interface InstalledTools {
  temporal: string;
  prometheus: string;
  promtool: string;
  alertmanager: string;
}

/** Prometheus and Alertmanager first: quick downloads, while a Temporal CLI build can take minutes. */
export async function installTools(options: EnsureToolOptions = {}): Promise<InstalledTools> {
  const { prometheus, promtool } = await ensurePrometheus(options);
  const alertmanager = await ensureAlertmanager(options);
  const temporal = await ensureTemporalCli(options);
  return { temporal, prometheus, promtool, alertmanager };
}

export function describeInstalledTools(tools: InstalledTools, json: boolean): string {
  if (json) return `${JSON.stringify(tools, null, 2)}\n`;
  return (
    `temporal      ${tools.temporal}\nprometheus    ${tools.prometheus}\npromtool      ${tools.promtool}\n` +
    `alertmanager  ${tools.alertmanager}\n`
  );
}
