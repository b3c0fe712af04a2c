// The control loop survives what production throws at it: a worker killed with SIGKILL in the middle
// of pushing the rollback branch, and a Temporal server restarted on its database mid-incident.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { changeBranch } from '../../src/gitops/branch';
import { freePort } from '../../src/process/ports';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/servers/temporal-dev-server';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import {
  approveSignal,
  incidentQuery,
  outcomeQuery,
  type IncidentView,
  workflowIds,
  workflowTypeIn,
} from '../../workflows/messages';
import { commitsAhead, remoteBranches } from '../harness/git';
import { namespaceClient } from '../harness/namespaces';
import { waitFor } from '../harness/prometheus';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { BIN } from '../support/cli';
import { buildWorld, startWorker, workflowBundlePath, type ControlLoopWorld } from '../support/control-loop';
import { signedApproval, testSigning } from '../support/signing';

async function openedIncident(client: Client): Promise<IncidentView> {
  return waitFor(
    async () => {
      const v = await client.workflow
        .getHandle(workflowIds.incident('checkout'))
        .query(incidentQuery)
        .catch(() => undefined);
      return v && v.proposals.length > 0 ? v : undefined;
    },
    60_000,
    'the incident and its rollback proposal',
  );
}

async function approve(client: Client, by = 'alice'): Promise<string> {
  const requestId = randomUUID();
  const handle = client.workflow.getHandle(workflowIds.incident('checkout'));
  const incident = await handle.query(incidentQuery);
  await handle.signal(
    approveSignal,
    await signedApproval(incident, 'rollback-rollout', { requestId, by, reason: 'roll back' }),
  );
  return requestId;
}

function finalOutcome(client: Client, requestId: string, timeoutMs: number) {
  return waitFor(
    async () => {
      const o = await client.workflow
        .getHandle(workflowIds.incident('checkout'))
        .query(outcomeQuery, requestId);
      return o?.final ? o : undefined;
    },
    timeoutMs,
    'the approval outcome',
  );
}

/** A server-side hook that stalls the first push, so the test can kill the worker mid-push. */
function stallFirstPush(repoDir: string): string {
  const markers = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-push-'));
  const hook = path.join(repoDir, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\nif [ ! -e "${markers}/stalled" ]; then touch "${markers}/stalled"; sleep 20; fi\nexit 0\n`,
  );
  chmodSync(hook, 0o755);
  return path.join(markers, 'stalled');
}

describe('a worker killed with SIGKILL while it pushes the rollback branch', () => {
  let world: ControlLoopWorld;
  let client: Client;
  const namespace = uniqueId('safedeploy-crash');
  let worker: ChildProcess | undefined;

  const spawnWorker = async (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'worker',
        '--catalog',
        world.catalogDir,
        '--prometheus',
        world.prometheus.url,
        '--data-dir',
        world.dataDir,
        '--interval',
        '1s',
        '--cooldown',
        '3s',
        '--merge-poll',
        '300ms',
        '--workflow-bundle',
        await workflowBundlePath(),
        '--allowed-signers',
        testSigning().allowedSigners,
      ],
      {
        env: { ...process.env, TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: namespace },
        stdio: 'ignore',
        detached: true, // its own process group: killing it takes its git children down too, like a lost machine
      },
    );
    return child;
  };
  const killWorker = (child: ChildProcess) => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  };

  beforeAll(async () => {
    world = await buildWorld([{ name: 'checkout' }]);
    client = await namespaceClient(namespace);
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) killWorker(worker);
    await client?.workflow
      .getHandle(workflowIds.fleetEvaluation)
      .terminate('test over')
      .catch(() => undefined);
    await client?.workflow
      .getHandle(workflowIds.incident('checkout'))
      .terminate('test over')
      .catch(() => undefined);
    await client?.connection.close();
    await world?.stop();
  });

  it('converges on one branch with one commit after a restart', async () => {
    worker = await spawnWorker();
    await waitFor(
      async () => {
        for await (const _ of client.workflow.list({ query: workflowTypeIn('fleetEvaluation') })) return true;
        return false;
      },
      60_000,
      'the fleet evaluation to start',
    );
    await new Promise((r) => setTimeout(r, 3_000)); // a few healthy cycles
    world.exporter.fastBurn('checkout');
    const opened = await openedIncident(client);
    const stalled = stallFirstPush(world.repoDir);
    const requestId = await approve(client);
    await waitFor(() => existsSync(stalled), 60_000, 'the push to reach the remote');
    killWorker(worker);
    await new Promise<void>((resolve) =>
      worker!.exitCode !== null || worker!.signalCode !== null
        ? resolve()
        : worker!.once('exit', () => resolve()),
    );

    worker = await spawnWorker();
    const outcome = await finalOutcome(client, requestId, 120_000);
    const branch = changeBranch(opened.incidentId, 'rollback-rollout');
    expect(outcome).toMatchObject({ accepted: true, final: true });
    expect(outcome.message).toContain(branch);
    expect(remoteBranches(world.repoDir).sort()).toEqual(['main', branch].sort());
    expect(commitsAhead(world.repoDir, branch)).toHaveLength(1);
    const view = await client.workflow.getHandle(workflowIds.incident('checkout')).query(incidentQuery);
    expect(view.proposals).toHaveLength(1);
    expect(view.proposals[0]).toMatchObject({ state: 'opened', change: { branch } });
  }, 240_000);
});

describe('a Temporal server restarted on its database mid-incident', () => {
  let world: ControlLoopWorld;
  let server: TemporalDevServer;
  let dbDir: string;
  let port: number;

  const start = () =>
    startTemporalDevServer({
      dbFile: path.join(dbDir, 'temporal.sqlite'),
      port,
      headless: true,
      searchAttributes: SAFEDEPLOY_SEARCH_ATTRIBUTES,
    });

  beforeAll(async () => {
    world = await buildWorld([{ name: 'checkout' }]);
    dbDir = mkdtempSync(path.join(os.tmpdir(), 'safedeploy-restart-'));
    port = await freePort();
    server = await start();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
  });

  it('loses nothing: the same incident and proposal after the restart, and approval still works', async () => {
    const address = server.address;
    const client = await namespaceClient('default', address);
    const worker = await startWorker(world, 'default', { address });
    const running = worker.run();
    try {
      await new Promise((r) => setTimeout(r, 4_000));
      world.exporter.fastBurn('checkout');
      const before = await openedIncident(client);

      await server.stop();
      server = await start();

      const after = await waitFor(
        () =>
          client.workflow
            .getHandle(workflowIds.incident('checkout'))
            .query(incidentQuery)
            .catch(() => undefined),
        60_000,
        'the incident after the restart',
      );
      expect(after.incidentId).toBe(before.incidentId);
      expect(after.transitions).toEqual(before.transitions);
      expect(after.proposals.map((p) => [p.id, p.state])).toEqual(
        before.proposals.map((p) => [p.id, p.state]),
      );
      const outcome = await finalOutcome(client, await approve(client), 60_000);
      expect(outcome.message).toContain(changeBranch(before.incidentId, 'rollback-rollout'));
    } finally {
      await client.workflow
        .getHandle(workflowIds.fleetEvaluation)
        .terminate('test over')
        .catch(() => undefined);
      await client.workflow
        .getHandle(workflowIds.incident('checkout'))
        .terminate('test over')
        .catch(() => undefined);
      worker.shutdown();
      await running;
      await client.connection.close();
    }
  }, 240_000);
});
