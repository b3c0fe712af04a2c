// deploy/temporal/register-search-attributes.sh (run by compose's one-shot job): registers exactly the search
// attributes the code defines, against a real Temporal server with the real `temporal` CLI, idempotently.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ensureTemporalCli } from '../../../src/tools/temporal-cli';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../../../src/temporal/search-attributes';
import { testTemporalAddress, uniqueId } from '../../harness/temporal';
import { waitFor } from '../../harness/wait';
import { readRepoFile, repoPath } from './support';

const SCRIPT = 'deploy/temporal/register-search-attributes.sh';
const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
const INT = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runScript(namespace: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const cli = await ensureTemporalCli();
  const env = {
    ...process.env,
    PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH ?? ''}`,
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_NAMESPACE: namespace,
    ...extraEnv,
  };
  return promisify(execFile)('sh', [repoPath(SCRIPT)], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

describe('the search-attribute registration script', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testTemporalAddress() });
  });
  afterAll(async () => {
    await connection.close();
  });

  async function newNamespace(): Promise<string> {
    const namespace = uniqueId('deploy-sa');
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    return namespace;
  }

  async function customAttributes(namespace: string): Promise<Record<string, number>> {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return Object.fromEntries(
      Object.entries(customAttributes ?? {}).map(([name, type]) => [name, Number(type)]),
    );
  }

  test('names exactly the search attributes the code defines, all Keyword', () => {
    const listed = /^attributes="([^"]*)"$/m.exec(readRepoFile(SCRIPT))?.[1]?.split(/\s+/);
    expect(listed).toEqual(SAFEDEPLOY_SEARCH_ATTRIBUTES.map((key) => key.name));
    expect(SAFEDEPLOY_SEARCH_ATTRIBUTES.map((key) => key.type)).toEqual(
      SAFEDEPLOY_SEARCH_ATTRIBUTES.map(() => SearchAttributeType.KEYWORD),
    );
  });

  test('registers them on a new namespace, and a second run changes nothing', async () => {
    const namespace = await newNamespace();
    const first = await runScript(namespace);
    expect(first.code).toBe(0);
    const expected = Object.fromEntries(SAFEDEPLOY_SEARCH_ATTRIBUTES.map((key) => [key.name, KEYWORD]));
    expect(await customAttributes(namespace)).toEqual(expected);

    const second = await runScript(namespace);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/search attributes registered/);
    expect(second.stdout).not.toMatch(/have been added/);
    expect(await customAttributes(namespace)).toEqual(expected);
  }, 120_000);

  test('refuses an attribute that exists with another type', async () => {
    const namespace = await newNamespace();
    const [kind] = SAFEDEPLOY_SEARCH_ATTRIBUTES.slice(-1);
    // A new namespace reaches the operator service after a cache refresh: retry until it accepts.
    await waitFor(
      () =>
        connection.operatorService
          .addSearchAttributes({ namespace, searchAttributes: { [kind!.name]: INT } })
          .then(() => true),
      30_000,
      `${kind!.name} as Int in ${namespace}`,
    );
    const run = await runScript(namespace);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`${kind!.name} exists in namespace ${namespace} with type Int, not Keyword`),
    );
  }, 120_000);

  test('passes SafeDeploy’s mTLS variables to the CLI under its own names, and shows the CLI’s error', async () => {
    // Only the mapped names reach the CLI (the script unsets the old ones), so the CLI's complaint about
    // the certificate file proves it read TEMPORAL_TLS_CLIENT_CERT_PATH.
    const run = await runScript(uniqueId('deploy-sa-tls'), {
      TEMPORAL_TLS_CERT: '/nonexistent/safedeploy-client.crt',
      TEMPORAL_TLS_KEY: '/nonexistent/safedeploy-client.key',
      REGISTER_TIMEOUT_SECONDS: '1',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/nonexistent/safedeploy-client.crt');
    expect(run.stderr).toMatch(/the Temporal CLI said: .*safedeploy-client/);
  }, 60_000);

  test('maps exactly the TLS names the Temporal CLI v1.5.1 reads', () => {
    const script = readRepoFile(SCRIPT);
    // From the CLI's temporalcli/commandsgen/commands.yml (implied-env of --tls-cert-path etc.).
    for (const [ours, theirs] of [
      ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_CLIENT_CERT_PATH'],
      ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CLIENT_KEY_PATH'],
      ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'],
    ])
      expect(script).toContain(`map_tls ${theirs} "\${${ours}:-}"`);
  });

  test('gives up with a clear message when the namespace never appears', async () => {
    const run = await runScript(uniqueId('deploy-sa-missing'), { REGISTER_TIMEOUT_SECONDS: '3' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /gave up after 3s: search attributes missing in namespace deploy-sa-missing-\S+/,
    );
  }, 60_000);
});
