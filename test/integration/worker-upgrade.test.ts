// A worker upgrade while an incident is open (docs/DEPLOY.md "Worker upgrades"): the incident starts on
// today's workflow code; release 2 changes what the incident loop does (a new timer and audit record),
// guarded by patched(); the new worker replays the open incident's history and finishes it. The same
// change without the guard fails replay of that history: the guard is what makes the upgrade safe.
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { changeBranch } from '../../src/gitops/branch';
import { fileStore } from '../../src/store/file-store';
import { signedApproval } from '../support/signing';
import type { incidentWorkflow } from '../../workflows';
import {
  approveSignal,
  fleetQuery,
  incidentQuery,
  outcomeQuery,
  workflowIds,
} from '../../workflows/messages';
import { mergeAsReviewer } from '../harness/git';
import { namespaceClient } from '../harness/namespaces';
import { uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import {
  buildWorld,
  startWorker,
  stopLoop,
  workflowBundlePath,
  type ControlLoopWorld,
} from '../support/control-loop';
import { buildWorkflowRelease, type WorkflowRelease } from '../support/workflow-release';

const NAMESPACE = uniqueId('safedeploy-upgrade');
const LOOP = '  while (isActive(record.state)) {\n';

/** Release 2: on its first wake-up an incident waits a moment and records which release runs it. */
const release2 = (guard: string) => (source: string) =>
  `import { patched as releasePatched, sleep as releaseSleep } from '@temporalio/workflow';\n${source.replace(
    LOOP,
    `  let release2Noted = false;
${LOOP}    if (${guard} && !release2Noted) {
      release2Noted = true;
      await releaseSleep(10);
      record.queueAudit('incidents', { type: 'worker-release', release: 2, incidentId: record.view.incidentId });
    }
`,
  )}`;

let world: ControlLoopWorld;
let client: Client;
let guarded: WorkflowRelease;
let unguarded: WorkflowRelease;

beforeAll(async () => {
  [world, client, guarded, unguarded] = await Promise.all([
    buildWorld([{ name: 'checkout' }]),
    namespaceClient(NAMESPACE),
    buildWorkflowRelease('incident.ts', release2("releasePatched('release-2-records-worker-release')")),
    buildWorkflowRelease('incident.ts', release2('true')),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([guarded?.cleanup(), unguarded?.cleanup()]);
  await stopLoop({ client, world });
});

const startRelease = (bundle: string) =>
  startWorker(world, NAMESPACE, { store: fileStore(world.dataDir), workflowBundlePath: bundle });
const incidentHandle = () =>
  client.workflow.getHandle<typeof incidentWorkflow>(workflowIds.incident('checkout'));

it('an incident opened on the current worker is finished by the next release', async () => {
  // Today's worker opens the incident and proposes a rollback, then is replaced.
  const current = await startRelease(await workflowBundlePath());
  const opened = await current.runUntil(async () => {
    // Healthy first, so that the evaluation knows when the service was last healthy.
    await waitFor(
      async () =>
        (await client.workflow.getHandle(workflowIds.fleetEvaluation).query(fleetQuery)).services.checkout
          ?.lastHealthyAt,
      30_000,
      'a healthy evaluation',
    );
    world.exporter.fastBurn('checkout');
    return waitFor(
      async () => {
        const v = await incidentHandle()
          .query(incidentQuery)
          .catch(() => undefined);
        return v && v.proposals.length > 0 ? v : undefined;
      },
      60_000,
      'the incident and its proposal',
    );
  });
  const history = await incidentHandle().fetchHistory();

  // The open incident's history replays on release 2 only with the patched() guard.
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: guarded.bundlePath } }, history),
  ).resolves.toBeUndefined();
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: unguarded.bundlePath } }, history),
  ).rejects.toThrow(/[Nn]ondeterminism/);

  // Release 2 takes over: approval, rollback branch, merge, recovery, resolution.
  const next = await startRelease(guarded.bundlePath);
  await next.runUntil(async () => {
    const requestId = randomUUID();
    await incidentHandle().signal(
      approveSignal,
      await signedApproval(opened, 'rollback-rollout', { requestId, by: 'alice', reason: 'roll back' }),
    );
    await waitFor(
      async () => (await incidentHandle().query(outcomeQuery, requestId))?.final,
      60_000,
      'the approval outcome',
    );
    mergeAsReviewer(world.repoUrl, changeBranch(opened.incidentId, 'rollback-rollout'));
    await waitFor(
      async () => (await incidentHandle().query(incidentQuery)).state === 'mitigated',
      60_000,
      'mitigated',
    );
    world.exporter.healthy('checkout');
    const finished = await incidentHandle().result();
    expect(finished.state).toBe('resolved');
    expect(finished.transitions.map((t) => t.to)).toEqual(['detected', 'mitigated', 'resolved']);
    await client.workflow
      .getHandle(workflowIds.fleetEvaluation)
      .terminate('upgrade test over')
      .catch(() => undefined);
  });

  const store = fileStore(world.dataDir);
  const releaseLines = (await store.readLines('incidents')).filter((l) => l.type === 'worker-release');
  expect(releaseLines).toEqual([expect.objectContaining({ release: 2, incidentId: opened.incidentId })]);
  expect((await store.verifyStream('incidents')).broken).toBeUndefined();
}, 240_000);
