// Where the local stack keeps things: the package's own files (examples, the CLI launcher) and the
// data folder (default ./.data), whose contents survive restarts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The installed package's root: compiled code runs from dist/src/…, tests from src/…. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'safedeploy'
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no safedeploy package.json above ${from}`);
  }
}

export const cliLauncher = (): string => path.join(packageRoot(), 'bin', 'safedeploy.js');
export const localCatalogSource = (): string => path.join(packageRoot(), 'examples', 'local');
export const envRepoSeed = (): string => path.join(packageRoot(), 'examples', 'env-repo');

export interface DataLayout {
  root: string;
  temporalDb: string;
  prometheusDir: string;
  /** When Prometheus last had data: what a restart backfills from. */
  historyFile: string;
  envRepo: string;
  catalogDir: string;
  apiTokenFile: string;
  /** Demo signing keys of the catalog's approvers, and their allowed_signers (src/stack/demo-keys.ts). */
  keysDir: string;
  /** Addresses of the running stack, for `safedeploy demo`; removed on a clean stop. */
  stackFile: string;
}

export function dataLayout(dataDir: string): DataLayout {
  const root = path.resolve(dataDir);
  return {
    root,
    temporalDb: path.join(root, 'temporal.sqlite'),
    prometheusDir: path.join(root, 'prometheus'),
    historyFile: path.join(root, 'prometheus', 'history.json'),
    envRepo: path.join(root, 'env.git'),
    catalogDir: path.join(root, 'catalog'),
    apiTokenFile: path.join(root, 'api-token'),
    keysDir: path.join(root, 'keys'),
    stackFile: path.join(root, 'stack.json'),
  };
}
