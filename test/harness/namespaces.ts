// Test files that run SafeDeploy workers each get their own Temporal namespace: SafeDeploy's workflow
// ids (incident-<service>, the fleet evaluation) and task queue are fixed by design, so isolation
// comes from the namespace, exactly as two SafeDeploy installations would share one cluster.
import { Client, Connection } from '@temporalio/client';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { testTemporalAddress } from './temporal';
import { waitFor } from './wait';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Registers `namespace` (if new) with SafeDeploy's search attributes; returns a client for it. */
export async function namespaceClient(namespace: string, address = testTemporalAddress()): Promise<Client> {
  const connection = await Connection.connect({ address });
  const registered = await connection.workflowService.describeNamespace({ namespace }).then(
    () => true,
    () => false,
  );
  if (!registered) {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  }
  await waitFor(
    () => connection.workflowService.describeNamespace({ namespace }).then(() => true),
    30_000,
    `namespace ${namespace}`,
  );
  const searchAttributes = Object.fromEntries(SAFEDEPLOY_SEARCH_ATTRIBUTES.map((key) => [key.name, KEYWORD]));
  // The operator service learns of a new namespace only when its cache refreshes: retry until it does.
  await waitFor(
    () =>
      connection.operatorService.addSearchAttributes({ namespace, searchAttributes }).then(
        () => true,
        (err: Error) => {
          if (/already exists/i.test(err.message)) return true;
          throw err;
        },
      ),
    30_000,
    `search attributes in ${namespace}`,
  );
  const client = new Client({ connection, namespace });
  // A new namespace reaches every server component only after its cache refreshes: wait until a list works.
  await waitFor(
    async () => {
      for await (const _ of client.workflow.list({
        query: `${SAFEDEPLOY_SEARCH_ATTRIBUTES[0]!.name} = 'probe'`,
      }))
        break;
      return true;
    },
    30_000,
    `namespace ${namespace} to be usable`,
  );
  return client;
}
