// A workflow release as a test can make one: the repository's workflows/ copied and edited, bundled
// beside symlinks to src/, activities/ and node_modules/ so that its imports resolve as in the repository.
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const ROOT = path.resolve(__dirname, '..', '..');

export interface WorkflowRelease {
  bundlePath: string;
  cleanup(): Promise<void>;
}

/** Bundles a copy of workflows/ in which `edit` rewrote `file` (relative to workflows/). */
export async function buildWorkflowRelease(
  file: string,
  edit: (source: string) => string,
): Promise<WorkflowRelease> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-release-'));
  try {
    for (const linked of ['src', 'activities', 'node_modules'])
      await symlink(path.join(ROOT, linked), path.join(dir, linked), 'dir');
    await cp(path.join(ROOT, 'workflows'), path.join(dir, 'workflows'), { recursive: true });
    const target = path.join(dir, 'workflows', file);
    const before = await readFile(target, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the release edit changed nothing in workflows/${file}`);
    await writeFile(target, after);
    const { code } = await bundleWorkflowCode({
      workflowsPath: path.join(dir, 'workflows'),
      logger: quietLogger,
    });
    const bundlePath = path.join(dir, 'workflows.bundle.js');
    await writeFile(bundlePath, code);
    return { bundlePath, cleanup: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const quiet = () => undefined;
const quietLogger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet };
