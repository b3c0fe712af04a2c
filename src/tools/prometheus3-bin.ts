// Prometheus 3, built from its Go module into the tools cache (Debian ships only 2.42): the engine's
// backend-matrix tests run the same histories against both. Override with PROMETHEUS3_BIN=<dir>.
import { ensureGoTool, type GoTool } from './go-tool';
import type { EnsureToolOptions } from './log';
import type { PrometheusBinaries } from './prometheus-bin';

/** Go module version v0.316.0 is Prometheus 3.16 (the module's major stays 0). */
export const PROMETHEUS3_VERSION = 'v0.316.0';
const MODULE = 'github.com/prometheus/prometheus/cmd';

export const PROMETHEUS3_TOOL: GoTool = {
  title: `Prometheus 3 (${PROMETHEUS3_VERSION})`,
  cacheName: `prometheus-${PROMETHEUS3_VERSION}`,
  packages: [`${MODULE}/prometheus@${PROMETHEUS3_VERSION}`, `${MODULE}/promtool@${PROMETHEUS3_VERSION}`],
  overrideEnv: 'PROMETHEUS3_BIN',
  versionArgs: ['--version'],
};

export async function ensurePrometheus3(options: EnsureToolOptions = {}): Promise<PrometheusBinaries> {
  const { prometheus, promtool } = await ensureGoTool(PROMETHEUS3_TOOL, options);
  return { prometheus: prometheus!, promtool: promtool! };
}
