// Where self-installed tools live. Outside the checkout on purpose: every clone on the machine (and CI runners
// that keep $HOME or $XDG_CACHE_HOME between jobs) reuses one multi-minute Temporal build.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ''
      ? env.XDG_CACHE_HOME
      : join(homedir(), '.cache');
  return join(base, 'safedeploy');
}
