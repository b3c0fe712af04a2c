// Build step for container images: `node dist/src/tools/bundle-workflows.js [out-file]` bundles the workflow
// code once with Temporal's bundler and writes it where the worker loads it (`--workflow-bundle`,
// env SAFEDEPLOY_WORKFLOW_BUNDLE), so a container starts without running webpack. Default out-file:
// dist/workflow-bundle.js, beside the compiled workflows it was built from.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { errorMessage } from '../errors';

/** The compiled workflows' entry point (dist/workflows/index.js when this file runs from dist/). */
const WORKFLOWS_ENTRY = require.resolve('../../workflows');

export const DEFAULT_BUNDLE_FILE = join(dirname(dirname(WORKFLOWS_ENTRY)), 'workflow-bundle.js');

export interface WrittenBundle {
  path: string;
  bytes: number;
}

/** Bundles `workflowsPath` and writes it to `outFile` atomically (a partial file is never left there). */
export async function writeWorkflowBundle(
  outFile: string = DEFAULT_BUNDLE_FILE,
  workflowsPath: string = WORKFLOWS_ENTRY,
): Promise<WrittenBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath });
  const path = resolve(outFile);
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  try {
    await writeFile(partial, code);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return { path, bytes: Buffer.byteLength(code) };
}

async function main(argv: string[]): Promise<number> {
  try {
    const { path, bytes } = await writeWorkflowBundle(argv[0]);
    process.stderr.write(`bundle-workflows: wrote ${path} (${Math.round(bytes / 1024)} KiB)\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`bundle-workflows: ${errorMessage(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
