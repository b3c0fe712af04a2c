// Stops the dev server started by global-setup.ts and deletes its database; nothing to do with an external one.
import { rm } from 'node:fs/promises';
import { HARNESS_ENV, takeHarnessState } from './env';

export default async function globalTeardown(): Promise<void> {
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
