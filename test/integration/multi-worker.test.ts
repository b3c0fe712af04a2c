// Three workers on one task queue and one PostgreSQL store, each with its own git mirror cache (as
// replicas with their own volumes): two services burn, and the fleet still has one evaluation, one
// incident per service, one branch per approved proposal, one audit line per event and intact chains.
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AUDIT_STREAMS } from '../../src/evidence/streams';
import { changeBranch } from '../../src/gitops/branch';
import { postgresStore, type PostgresStore } from '../../src/store/postgres/store';
import { signedApproval } from '../support/signing';
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
import { fileDatabase } from '../harness/postgres';
import { uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import {
  buildWorld,
  startWorker,
  stopLoop,
  workflowBundlePath,
  type ControlLoopWorld,
} from '../support/control-loop';

const NAMESPACE = uniqueId('safedeploy-workers');
const SERVICES = ['checkout', 'payments'];
const REPLICAS = ['replica-a', 'replica-b', 'replica-c'];

let world: ControlLoopWorld;
let client: Client;
let db: { url: string; drop: () => Promise<void> };
let stores: PostgresStore[] = [];
let workers: Worker[] = [];
let running: Promise<void>[] = [];

beforeAll(async () => {
  world = await buildWorld(SERVICES.map((name) => ({ name })));
  client = await namespaceClient(NAMESPACE);
  db = await fileDatabase('workers');
  stores = REPLICAS.map(() => postgresStore(db.url));
  // Every replica migrates at start, as `safedeploy worker` does: concurrently, applied once.
  await Promise.all(stores.map((s) => s.migrate()));
  const bundle = await workflowBundlePath();
  workers = await Promise.all(
    REPLICAS.map((identity, i) =>
      // Every replica starts the fleet evaluation; its workflow id keeps it to one.
      startWorker(world, NAMESPACE, {
        dataDir: path.join(world.dir, identity), // its own git mirror cache
        store: stores[i]!,
        identity,
        workflowBundlePath: bundle,
      }),
    ),
  );
  running = workers.map((w) => w.run());
}, 120_000);

afterAll(async () => {
  for (const w of workers.slice(1)) w.shutdown();
  await Promise.all(running.slice(1));
  await stopLoop({ client, worker: workers[0], running: running[0], world });
  await Promise.all(stores.map((s) => s.close()));
  await db?.drop();
});

const incident = (service: string) =>
  client.workflow.getHandle(workflowIds.incident(service)).query(incidentQuery);

async function approve(service: string, view: IncidentView): Promise<string> {
  const requestId = randomUUID();
  await client.workflow
    .getHandle(workflowIds.incident(service))
    .signal(
      approveSignal,
      await signedApproval(view, 'rollback-rollout', { requestId, by: 'alice', reason: 'roll back' }),
    );
  await waitFor(
    async () =>
      (await client.workflow.getHandle(workflowIds.incident(service)).query(outcomeQuery, requestId))?.final,
    60_000,
    `the approval outcome on ${service}`,
  );
  return changeBranch(view.incidentId, 'rollback-rollout');
}

async function count(query: string): Promise<number> {
  let n = 0;
  for await (const _ of client.workflow.list({ query })) n++;
  return n;
}

describe('three workers on one task queue and one PostgreSQL store', () => {
  it('handle two burning services with nothing duplicated or lost', async () => {
    await waitFor(async () => (await count(workflowTypeIn('fleetEvaluation'))) > 0, 30_000, 'the evaluation');
    for (const s of SERVICES) world.exporter.fastBurn(s);
    const opened = await Promise.all(
      SERVICES.map((s) =>
        waitFor(
          async () => {
            const v = await incident(s).catch(() => undefined);
            return v && v.proposals.length > 0 ? v : undefined;
          },
          90_000,
          `the incident and proposal of ${s}`,
        ),
      ),
    );
    const branches = await Promise.all(SERVICES.map((s, i) => approve(s, opened[i]!)));

    expect(remoteBranches(world.repoDir).sort()).toEqual(['main', ...branches].sort());
    for (const b of branches) expect(commitsAhead(world.repoDir, b)).toHaveLength(1);
    expect(await count(`${workflowTypeIn('fleetEvaluation')} AND ExecutionStatus = 'Running'`)).toBe(1);
    for (const s of SERVICES)
      await waitFor(
        async () => (await count(`${workflowTypeIn('incident')} AND SafeDeployService = '${s}'`)) === 1,
        15_000,
        `one incident workflow for ${s}`,
      );

    // The audit: one detection per service, each event once, every chain intact (its head included).
    const store = stores[0]!;
    await waitFor(
      async () => (await store.readLines('approvals')).length >= SERVICES.length,
      30_000,
      'the approvals in the audit log',
    );
    const incidents = await store.readLines('incidents');
    for (const s of SERVICES)
      expect(incidents.filter((l) => l.service === s && l.to === 'detected' && l.from === null)).toHaveLength(
        1,
      );
    for (const stream of AUDIT_STREAMS) {
      const lines = await store.readLines(stream);
      expect(new Set(lines.map((l) => l.eventId)).size).toBe(lines.length);
      expect(await store.verifyStream(stream)).toEqual({ stream, lines: lines.length });
    }

    // The work really was shared: activities ran on more than one replica.
    const identities = new Set<string>();
    for (const id of [workflowIds.fleetEvaluation, ...SERVICES.map((s) => workflowIds.incident(s))]) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      for (const e of history.events ?? [])
        if (e.activityTaskStartedEventAttributes?.identity)
          identities.add(e.activityTaskStartedEventAttributes.identity);
    }
    expect(identities.size).toBeGreaterThan(1);
    expect([...identities].every((i) => REPLICAS.includes(i))).toBe(true);
  }, 180_000);
});
