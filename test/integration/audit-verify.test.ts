// `safedeploy audit verify` on an audit log the control loop really wrote — an incident acknowledged,
// an approval refused, mitigated and resolved by hand through the CLI — and on copies of it where one
// line was edited, deleted or moved: each copy fails, naming that line.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { AUDIT_STREAMS } from '../../src/evidence/streams';
import { incidentQuery, workflowIds } from '../../workflows/messages';
import { tempDir } from '../harness/git';
import { namespaceClient } from '../harness/namespaces';
import { testTemporalAddress, uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';
import { jsonOf, runCli } from '../support/cli';
import { buildWorld, startWorker, type ControlLoopWorld } from '../support/control-loop';
import { signedArgs } from '../support/signing';

const NAMESPACE = uniqueId('safedeploy-audit-verify');

let world: ControlLoopWorld;
let client: Client;
let copies: ReturnType<typeof tempDir>;

const streamLines = (dataDir: string, stream: string) =>
  readFileSync(path.join(dataDir, 'audit', `${stream}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean);

/** Drives one incident through the CLI, then stops the worker so that the log holds still. */
async function produceAuditLog(): Promise<void> {
  const worker: Worker = await startWorker(world, NAMESPACE);
  const running = worker.run();
  const env = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_NAMESPACE: NAMESPACE };
  const cli = async (...args: string[]) => {
    const run = await runCli(signedArgs(args), { env });
    if (run.code !== 0 && !args.includes('mallory'))
      throw new Error(`${args.join(' ')}: exit ${run.code}: ${run.stderr}`);
  };
  try {
    world.exporter.fastBurn('checkout');
    const incident = () => client.workflow.getHandle(workflowIds.incident('checkout')).query(incidentQuery);
    await waitFor(
      async () => ((await incident().catch(() => undefined))?.proposals.length ?? 0) > 0,
      60_000,
      'the incident and its proposal',
    );
    await cli('incident', 'ack', 'checkout', '--reason', 'looking', '--by', 'bob');
    await cli('proposal', 'approve', 'checkout', '--reason', 'ship it', '--by', 'mallory');
    await cli('incident', 'mitigate', 'checkout', '--reason', 'traffic shifted away', '--by', 'alice');
    await cli('incident', 'resolve', 'checkout', '--reason', 'error rate back to normal', '--by', 'alice');
    // The workflow flushes its outbox (evidence and audit) after answering: wait for the records.
    await waitFor(
      () => streamLines(world.dataDir, 'incidents').length >= 4,
      30_000,
      'four incident transitions in the audit log',
    );
  } finally {
    await client.workflow
      .getHandle(workflowIds.fleetEvaluation)
      .terminate('audit log produced')
      .catch(() => undefined);
    worker.shutdown();
    await running;
  }
}

beforeAll(async () => {
  world = await buildWorld([{ name: 'checkout' }]);
  client = await namespaceClient(NAMESPACE);
  copies = tempDir('audit-copies');
  await produceAuditLog();
}, 180_000);

afterAll(async () => {
  await client?.connection.close();
  await world?.stop();
  copies?.cleanup();
});

let copyCount = 0;

/** A copy of the data directory's audit log, so each case tampers with its own. */
function copyOfAudit(): string {
  const dataDir = path.join(copies.path, `case-${++copyCount}`);
  cpSync(path.join(world.dataDir, 'audit'), path.join(dataDir, 'audit'), { recursive: true });
  return dataDir;
}

describe('safedeploy audit verify', () => {
  it('finds the log the control loop wrote intact (exit 0), stream by stream', async () => {
    const run = await runCli(['audit', 'verify', '--data-dir', copyOfAudit()]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    for (const stream of AUDIT_STREAMS) {
      expect(run.stdout).toMatch(new RegExp(`^audit/${stream}\\.jsonl\\s+\\d+ lines?\\s+OK$`, 'm'));
    }
    expect(run.stdout).toMatch(new RegExp(`^OK: ${AUDIT_STREAMS.length} streams, \\d+ lines verified$`, 'm'));
    // Four transitions, and the attribution records: burn onset, attribution, release spend (postmortem
    // reminders, every 2 s here, may follow until the worker stops).
    const types = streamLines(world.dataDir, 'incidents').map(
      (l) => (JSON.parse(l) as { type: string }).type,
    );
    expect(types.filter((t) => t === 'transition')).toHaveLength(4);
    expect(types.filter((t) => t !== 'transition' && t !== 'postmortem-reminder').sort()).toEqual([
      'attribution',
      'burn-onset',
      'release-spend',
    ]);
    expect(run.stdout).toMatch(new RegExp(`^audit/incidents\\.jsonl\\s+${types.length} lines\\s+OK$`, 'm'));
  });

  it('reports each stream as JSON', async () => {
    const run = await runCli(['audit', 'verify', '--data-dir', copyOfAudit(), '--json']);
    const result = jsonOf<{ intact: boolean; streams: { stream: string; lines: number; intact: boolean }[] }>(
      run,
    );
    expect(result.intact).toBe(true);
    expect(result.streams.find((s) => s.stream === 'approvals')).toMatchObject({
      intact: true,
      lines: expect.any(Number) as unknown,
    });
    expect(result.streams.find((s) => s.stream === 'approvals')!.lines).toBeGreaterThanOrEqual(1);
  });

  type Tamper = (lines: string[]) => string[];
  const editLine =
    (index: number): Tamper =>
    (lines) =>
      lines.map((line, i) =>
        i === index
          ? JSON.stringify({ ...(JSON.parse(line) as object), reason: 'nothing to see here' })
          : line,
      );
  const deleteSecond: Tamper = (lines) => lines.filter((_, i) => i !== 1);
  const swapSecondAndThird: Tamper = (lines) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)];
  const truncateSecond: Tamper = (lines) => lines.map((line, i) => (i === 1 ? line.slice(0, 20) : line));

  it.each<[string, Tamper, RegExp]>([
    ['editing line 2', editLine(1), /^hash does not match the line \(the line was edited\)$/],
    ['deleting line 2', deleteSecond, /^seq is 3, expected 2 \(a line was deleted, inserted or moved\)$/],
    [
      'swapping lines 2 and 3',
      swapSecondAndThird,
      /^seq is 3, expected 2 \(a line was deleted, inserted or moved\)$/,
    ],
    ['cutting line 2 short', truncateSecond, /^not valid JSON$/],
  ])(
    '%s of the incidents stream makes verify fail with exit 1, naming that line',
    async (_name, tamper, reason) => {
      const dataDir = copyOfAudit();
      const file = path.join(dataDir, 'audit', 'incidents.jsonl');
      writeFileSync(file, `${tamper(streamLines(dataDir, 'incidents')).join('\n')}\n`);
      const run = await runCli(['audit', 'verify', '--data-dir', dataDir]);
      expect(run.code).toBe(1);
      const [line, ...rest] = run.stderr.trimEnd().split('\n');
      expect(rest).toEqual([]);
      expect(line).toMatch(/^safedeploy: audit\/incidents\.jsonl line 2: /);
      expect(line!.replace('safedeploy: audit/incidents.jsonl line 2: ', '')).toMatch(reason);
      expect(run.stdout).toMatch(/^audit\/incidents\.jsonl\s+BROKEN at line 2: /m);
      expect(run.stdout).toMatch(/^audit\/evaluations\.jsonl\s+\d+ lines?\s+OK$/m);
    },
  );

  it('names the first broken line of another stream just the same', async () => {
    const dataDir = copyOfAudit();
    writeFileSync(
      path.join(dataDir, 'audit', 'approvals.jsonl'),
      `${editLine(0)(streamLines(dataDir, 'approvals')).join('\n')}\n`,
    );
    const run = await runCli(['audit', 'verify', '--data-dir', dataDir, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'safedeploy: audit/approvals.jsonl line 1: hash does not match the line (the line was edited)\n',
    );
    const result = jsonOf<{ intact: boolean; streams: { stream: string; broken?: { line: number } }[] }>(run);
    expect(result.intact).toBe(false);
    expect(result.streams.find((s) => s.stream === 'approvals')!.broken).toMatchObject({ line: 1 });
  });

  it('says where it looked when there is no audit log (exit 2)', async () => {
    const run = await runCli(['audit', 'verify', '--data-dir', path.join(copies.path, 'empty')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `safedeploy: no audit log in ${path.join(copies.path, 'empty', 'audit')} (use --data-dir DIR or set SAFEDEPLOY_DATA_DIR; --database-url for PostgreSQL)\n`,
    );
  });
});
