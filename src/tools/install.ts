// `safedeploy tools install`: make sure the external tools SafeDeploy runs locally are present. With
// `--test-backends`, also the ones only its tests use: Prometheus 3 and Sloth (Go builds) and
// VictoriaMetrics (a Debian package), for the backend-matrix and Sloth validation tests.
import { ensureAlertmanager } from './alertmanager-bin';
import type { EnsureToolOptions } from './log';
import { ensurePrometheus } from './prometheus-bin';
import { ensurePrometheus3 } from './prometheus3-bin';
import { ensureSloth } from './sloth-bin';
import { ensureTemporalCli } from './temporal-cli';
import { ensureVictoriaMetrics } from './victoria-metrics-bin';

export interface InstalledTools {
  temporal: string;
  prometheus: string;
  promtool: string;
  alertmanager: string;
  /** Present with testBackends. */
  prometheus3?: string;
  promtool3?: string;
  sloth?: string;
  victoriaMetrics?: string;
}

export interface InstallOptions extends EnsureToolOptions {
  testBackends?: boolean;
}

/** Prometheus, Alertmanager and the Debian packages first: quick downloads, while each Go build can take minutes. */
export async function installTools(options: InstallOptions = {}): Promise<InstalledTools> {
  const { prometheus, promtool } = await ensurePrometheus(options);
  const alertmanager = await ensureAlertmanager(options);
  if (!options.testBackends)
    return { temporal: await ensureTemporalCli(options), prometheus, promtool, alertmanager };
  const victoriaMetrics = await ensureVictoriaMetrics(options);
  // The Go builds overlap: module downloads wait on the network, and one build links while another compiles.
  const [temporal, prometheus3, sloth] = await settleAll([
    ensureTemporalCli(options),
    ensurePrometheus3(options),
    ensureSloth(options),
  ] as const);
  return {
    temporal,
    prometheus,
    promtool,
    alertmanager,
    prometheus3: prometheus3.prometheus,
    promtool3: prometheus3.promtool,
    sloth,
    victoriaMetrics,
  };
}

/** Like Promise.all, but waits for every build to end before reporting the first failure. */
async function settleAll<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export function describeInstalledTools(tools: InstalledTools, json: boolean): string {
  if (json) return `${JSON.stringify(tools, null, 2)}\n`;
  return Object.entries(tools)
    .map(([name, path]) => `${name.padEnd(16)}${String(path)}\n`)
    .join('');
}
