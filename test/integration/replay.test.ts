// Histories recorded from real runs of the control-loop test replay against the current workflow
// code without nondeterminism. Refresh them with SAFEDEPLOY_RECORD_HISTORIES=1 after an intended,
// versioned change to a workflow.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundlePath } from '../support/control-loop';

const DIR = path.resolve(__dirname, '../fixtures/histories');

it('replays every recorded history without nondeterminism', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThanOrEqual(5);
  async function* histories() {
    for (const file of files) {
      yield {
        workflowId: file,
        history: historyFromJSON(JSON.parse(await readFile(path.join(DIR, file), 'utf8'))),
      };
    }
  }
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: await workflowBundlePath() } },
    histories(),
  )) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
}, 120_000);
