// Test access to the Temporal dev server started once per jest run by global-setup.ts.
import { randomBytes } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { HARNESS_ENV } from './env';

export function testTemporalAddress(): string {
  const address = process.env[HARNESS_ENV.temporalAddress];
  if (address === undefined || address === '') {
    throw new Error(
      `${HARNESS_ENV.temporalAddress} is not set: run tests through jest (test/harness/global-setup.ts starts ` +
        'the Temporal dev server) or set it to the host:port of a running server',
    );
  }
  return address;
}

export function testNamespace(): string {
  return process.env[HARNESS_ENV.temporalNamespace] ?? 'default';
}

/** A client connection; close it in afterAll (`await connection.close()`). */
export function testConnection(): Promise<Connection> {
  return Connection.connect({ address: testTemporalAddress() });
}

/** A client on its own connection; close it with `await client.connection.close()`. */
export async function testClient(): Promise<Client> {
  return new Client({ connection: await testConnection(), namespace: testNamespace() });
}

/** The connection type workers need; close it in afterAll. */
export function testWorkerConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: testTemporalAddress() });
}

/** Unique across test files and reruns against a persistent server: workflow ids, schedule ids, services. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A task queue no other test (or stale worker from an earlier run) polls. */
export function taskQueue(prefix: string): string {
  return uniqueId(`tq-${prefix}`);
}
