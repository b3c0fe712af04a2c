// The build step that prebuilds the workflow bundle for the image (`npm run bundle:workflows`): the file it
// writes is one the SafeDeploy worker runs workflows from, as the container does with
// SAFEDEPLOY_WORKFLOW_BUNDLE; a failed bundle leaves no file behind.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_GOVERNANCE } from '../../../src/catalog/model';
import { writeWorkflowBundle } from '../../../src/tools/bundle-workflows';
import { createSafeDeployWorker } from '../../../src/worker/run-worker';
import * as workflows from '../../../workflows';
import {
  DEFAULT_TIMINGS,
  TASK_QUEUE,
  freezeQuery,
  type FreezeInput,
  workflowIds,
  WORKFLOW_TYPES,
} from '../../../workflows/messages';
import { namespaceClient } from '../../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { repoPath } from './support';

describe('the prebuilt workflow bundle', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-bundle-step-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('holds every workflow the worker registers, and the worker runs workflows from it', async () => {
    const bundle = await writeWorkflowBundle(path.join(dir, 'dist', 'workflow-bundle.js'));
    const code = await readFile(bundle.path, 'utf8');
    expect(bundle.bytes).toBe(Buffer.byteLength(code));
    for (const name of Object.keys(workflows)) expect(code).toContain(name);

    const namespace = uniqueId('deploy-bundle');
    const client = await namespaceClient(namespace);
    const dataDir = path.join(dir, 'data');
    const worker = await createSafeDeployWorker({
      temporal: { address: testTemporalAddress(), namespace },
      catalogDir: repoPath('examples/catalog'),
      prometheusUrl: 'http://127.0.0.1:9',
      dataDir,
      intervalMs: 30_000,
      timings: DEFAULT_TIMINGS,
      startEvaluation: false,
      workflowBundlePath: bundle.path,
      log: () => undefined,
    });
    try {
      await worker.runUntil(async () => {
        const input: FreezeInput = {
          service: 'checkout',
          freezeDurationMs: 60_000,
          context: { approvers: ['alice'], governance: DEFAULT_GOVERNANCE },
        };
        const handle = await client.workflow.start(WORKFLOW_TYPES.freeze, {
          taskQueue: TASK_QUEUE,
          workflowId: workflowIds.freeze('checkout'),
          args: [input],
        });
        expect((await handle.query(freezeQuery)).state).toBe('frozen');
        // An activity ran too: the freeze is in the governance audit stream.
        const audit = await waitFor(
          () => readFile(path.join(dataDir, 'audit', 'governance.jsonl'), 'utf8'),
          20_000,
          'the governance audit line',
        );
        expect(audit).toMatch(/"type":"frozen"/);
        // Idle before terminating: the activity completed and the workflow is waiting on its freeze timer
        // (its notification child may start after the timer, so the timer need not be the last event).
        const events = await waitFor(
          async () => {
            const history = (await handle.fetchHistory()).events ?? [];
            const last = history.at(-1);
            const busy =
              last?.workflowTaskScheduledEventAttributes ?? last?.workflowTaskStartedEventAttributes;
            return history.some((e) => e.timerStartedEventAttributes) && !busy ? history : undefined;
          },
          20_000,
          'the workflow to wait on its timer',
        );
        expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
        await handle.terminate('test over');
      });
    } finally {
      await client.connection.close();
    }
  }, 120_000);

  test('a bundle that fails to build leaves nothing at the output path', async () => {
    const out = path.join(dir, 'broken', 'workflow-bundle.js');
    await expect(writeWorkflowBundle(out, path.join(dir, 'no-such-workflows.ts'))).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
