// The jest harness's Temporal dev server is real: a worker bundles a workflow, runs it and its activity, and
// SafeDeploy's search attributes are registered and queryable.
import type { Client } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { Worker, type NativeConnection } from '@temporalio/worker';
import {
  SAFEDEPLOY_SEARCH_ATTRIBUTES,
  SafeDeployKind,
  SafeDeployService,
} from '../../src/temporal/search-attributes';
import { createEchoActivities } from '../fixtures/workflows/echo-activities';
import type { echo } from '../fixtures/workflows/echo';
import { taskQueue, testClient, testNamespace, testWorkerConnection, uniqueId } from '../harness/temporal';
import { waitFor } from '../harness/wait';

let client: Client;
let workerConnection: NativeConnection;

beforeAll(async () => {
  client = await testClient();
  workerConnection = await testWorkerConnection();
});

afterAll(async () => {
  await workerConnection?.close();
  await client?.connection.close();
});

describe('the test Temporal dev server', () => {
  it('runs a workflow and its activity on a real worker', async () => {
    const queue = taskQueue('echo');
    const worker = await Worker.create({
      connection: workerConnection,
      namespace: testNamespace(),
      taskQueue: queue,
      workflowsPath: require.resolve('../fixtures/workflows/echo'),
      activities: createEchoActivities(),
    });
    const workflowId = uniqueId('echo');

    const result = await worker.runUntil(
      client.workflow.execute<typeof echo>('echo', {
        taskQueue: queue,
        workflowId,
        args: ['hello', 'checkout'],
        typedSearchAttributes: [{ key: SafeDeployKind, value: 'evaluation' }],
      }),
    );

    expect(result).toBe('HELLO');
    // Visibility is eventually consistent; the query also fails outright if an attribute is not registered.
    const query = `WorkflowId = '${workflowId}' AND SafeDeployService = 'checkout' AND SafeDeployKind = 'evaluation'`;
    const listed = await waitFor(async () => {
      for await (const execution of client.workflow.list({ query })) return execution;
      return undefined;
    });
    expect(listed.typedSearchAttributes.get(SafeDeployService)).toBe('checkout');
  }, 120_000);

  it('has every SafeDeploy search attribute registered with its type', async () => {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
      namespace: testNamespace(),
    });

    for (const key of SAFEDEPLOY_SEARCH_ATTRIBUTES) {
      expect({ name: key.name, type: customAttributes[key.name] }).toEqual({
        name: key.name,
        type: encodeSearchAttributeIndexedValueType(key.type),
      });
    }
  });
});
