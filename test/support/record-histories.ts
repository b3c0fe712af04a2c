// Saves a test run's workflow histories as replay fixtures (test/fixtures/histories), via the Temporal
// CLI, when SAFEDEPLOY_RECORD_HISTORIES=1: new behaviour gets recorded histories that later workflow
// changes must keep replaying.
import type { Client } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { testTemporalAddress } from '../harness/temporal';
import { workflowTypeIn, WORKFLOW_TYPES, type WorkflowTypeKey } from '../../workflows/messages';

/** @param tag distinguishes this test's files from other tests' recordings of the same workflows. */
export async function saveHistories(client: Client, namespace: string, tag: string): Promise<void> {
  const dir = path.resolve(__dirname, '../fixtures/histories');
  await mkdir(dir, { recursive: true });
  const query = workflowTypeIn(...(Object.keys(WORKFLOW_TYPES) as WorkflowTypeKey[]));
  for await (const w of client.workflow.list({ query })) {
    const json = execFileSync(
      process.env.TEMPORAL_CLI ?? 'temporal',
      ['workflow', 'show', '--workflow-id', w.workflowId, '--run-id', w.runId, '--output', 'json'].concat([
        '--address',
        testTemporalAddress(),
        '--namespace',
        namespace,
      ]),
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const name = `${w.type}-${tag}-${w.workflowId.replace(/[^a-z0-9-]/gi, '_')}-${w.runId.slice(0, 8)}.json`;
    await writeFile(path.join(dir, name), json);
  }
}
