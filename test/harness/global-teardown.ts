// Stops the dev server started by global-setup.ts and deletes its database; nothing to do with an external one.
import { rm } from 'node:fs/promises';
import { HARNESS_ENV, takeHarnessState } from './env';
import { dropDatabases, POSTGRES_ENV, serverUrl } from './postgres';

export default async function globalTeardown(): Promise<void> {
  await dropRunDatabases().catch((err: unknown) =>
    process.stderr.write(`[test harness] could not drop the test databases: ${String(err)}\n`),
  );
  const state = takeHarnessState();
  if (state === undefined) return;
  try {
    await state.temporal.stop();
  } finally {
    await rm(state.dir, { recursive: true, force: true });
    delete process.env[HARNESS_ENV.temporalAddress];
    delete process.env[HARNESS_ENV.temporalNamespace];
  }
}

/** The run's database and any a test file left behind (they share its name as a prefix). */
async function dropRunDatabases(): Promise<void> {
  const url = process.env[POSTGRES_ENV.database];
  if (!url) return;
  delete process.env[POSTGRES_ENV.database];
  await dropDatabases(serverUrl(), new URL(url).pathname.slice(1));
}
