// Once per jest run: make sure the external tools exist (so per-test Prometheus starts are fast) and start one
// headless Temporal dev server, with SafeDeploy's search attributes, on a throwaway SQLite database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureAlertmanager } from '../../src/tools/alertmanager-bin';
import { ensurePrometheus } from '../../src/tools/prometheus-bin';
import { ensureTemporalCli } from '../../src/tools/temporal-cli';
import { startTemporalDevServer } from '../../src/servers/temporal-dev-server';
import { HARNESS_ENV, saveHarnessState } from './env';
import { createDatabase, POSTGRES_ENV, runDatabaseName, serverUrl } from './postgres';

const log = (message: string): void => {
  process.stderr.write(`[test harness] ${message}\n`);
};

export default async function globalSetup(): Promise<void> {
  // The tools' own override variables: test workers resolve the same binaries without searching again.
  process.env.PROMETHEUS_BIN = (await ensurePrometheus({ log })).prometheus;
  process.env.ALERTMANAGER_BIN = await ensureAlertmanager({ log });
  const temporalCli = await ensureTemporalCli({ log });
  process.env.TEMPORAL_CLI = temporalCli;
  await createRunDatabase();

  const external = process.env[HARNESS_ENV.temporalAddress];
  if (external !== undefined && external !== '') {
    log(`using the Temporal server at ${external} from ${HARNESS_ENV.temporalAddress}`);
    process.env[HARNESS_ENV.temporalNamespace] ??= 'default';
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'safedeploy-test-temporal-'));
  try {
    const temporal = await startTemporalDevServer({
      dbFile: join(dir, 'temporal.sqlite'),
      headless: true,
      temporalCli,
    });
    saveHarnessState({ temporal, dir });
    process.env[HARNESS_ENV.temporalAddress] = temporal.address;
    process.env[HARNESS_ENV.temporalNamespace] = temporal.namespace;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A throwaway database for this run; without PostgreSQL only the tests that need it fail, saying why. */
async function createRunDatabase(): Promise<void> {
  try {
    process.env[POSTGRES_ENV.database] = await createDatabase(serverUrl(), runDatabaseName());
  } catch (err) {
    const reason = `PostgreSQL at ${serverUrl()}: ${err instanceof Error ? err.message : String(err)}`;
    process.env[POSTGRES_ENV.unavailable] = reason;
    log(`no test database (${reason})`);
  }
}
