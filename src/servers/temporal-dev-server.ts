// Starts `temporal server start-dev` as a child process for tests and local development, with SafeDeploy's
// search attributes registered and a readiness wait long enough for a busy 2-core machine.
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES, type AnySearchAttributeKey } from '../temporal/search-attributes';
import { silentLog, type ToolLog } from '../tools/log';
import { outputSection, startManagedProcess, type ManagedProcess } from '../process/managed-process';
import { pollUntil } from '../process/poll';
import { freePort } from '../process/ports';
import { ensureTemporalCli } from '../tools/temporal-cli';
import { errorMessage } from '../errors';

export interface StartTemporalDevServerOptions {
  /** SQLite file for state that survives restarts; in-memory when omitted. */
  dbFile?: string;
  /** gRPC frontend port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted (ignored when headless). */
  uiPort?: number;
  headless?: boolean;
  /** Created at launch unless it is "default" (which always exists). */
  namespace?: string;
  searchAttributes?: readonly AnySearchAttributeKey[];
  /** Path to the `temporal` binary; found or built with ensureTemporalCli when omitted. */
  temporalCli?: string;
  readyTimeoutMs?: number;
  log?: ToolLog;
}

export interface TemporalDevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  uiUrl?: string;
  namespace: string;
  stop(): Promise<void>;
}

const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};
const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 3;

export async function startTemporalDevServer(
  options: StartTemporalDevServerOptions = {},
): Promise<TemporalDevServer> {
  const log = options.log ?? silentLog;
  const cli = options.temporalCli ?? (await ensureTemporalCli({ log }));
  const namespace = options.namespace ?? 'default';
  // A free port can be taken by someone else before the server binds it; with our own picks, try again.
  const attempts =
    options.port === undefined || (options.uiPort === undefined && !options.headless) ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort()));
    const address = `${HOST}:${port}`;
    const child = startManagedProcess(cli, devServerArgs({ ...options, namespace, port, uiPort }));
    try {
      await waitForNamespace(address, namespace, child, options.readyTimeoutMs ?? 60_000);
    } catch (err) {
      await child.stop(2_000);
      if (attempt < attempts && /address already in use/i.test(child.output())) continue;
      throw new Error(
        `Temporal dev server (${cli}) did not become ready at ${address}: ${errorMessage(err)}` +
          outputSection('server', child.output()),
        { cause: err },
      );
    }
    log(`Temporal dev server ready at ${address} (pid ${child.pid}, namespace ${namespace})`);
    const uiUrl = uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`;
    return { address, namespace, ...(uiUrl ? { uiUrl } : {}), stop: () => child.stop(10_000) };
  }
}

function devServerArgs(
  options: StartTemporalDevServerOptions & { namespace: string; port: number; uiPort: number | undefined },
): string[] {
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(options.port), '--log-level', 'warn'];
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile !== undefined) args.push('--db-filename', options.dbFile);
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of options.searchAttributes ?? SAFEDEPLOY_SEARCH_ATTRIBUTES) {
    args.push('--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
  }
  return args;
}

/** Ready means a real gRPC round trip succeeds, not just an open port (the SDK's own wait is 5 s). */
async function waitForNamespace(
  address: string,
  namespace: string,
  child: ManagedProcess,
  timeoutMs: number,
): Promise<void> {
  await pollUntil(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () =>
          connection.workflowService.describeNamespace({ namespace }),
        );
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs, intervalMs: 250, what: `namespace "${namespace}"`, abortReason: () => child.exitReason() },
  );
}
