// Sloth's CLI, built from its Go module into the tools cache: tests generate Sloth's own recording rules
// from an imported spec and compare their error ratios with SafeDeploy's. Override with SLOTH_BIN=<dir>.
import { ensureGoTool, type GoTool } from './go-tool';
import type { EnsureToolOptions } from './log';

export const SLOTH_VERSION = 'v0.16.0';

export const SLOTH_TOOL: GoTool = {
  title: `Sloth ${SLOTH_VERSION}`,
  cacheName: `sloth-${SLOTH_VERSION}`,
  packages: [`github.com/slok/sloth/cmd/sloth@${SLOTH_VERSION}`],
  overrideEnv: 'SLOTH_BIN',
  versionArgs: ['version'],
};

export async function ensureSloth(options: EnsureToolOptions = {}): Promise<string> {
  return (await ensureGoTool(SLOTH_TOOL, options)).sloth!;
}
