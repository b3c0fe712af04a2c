// Temporal as the API reads it: a lazy connection, so the API starts (and its gate fails closed)
// while Temporal is down, and a deadline on every read, so an unreachable or slow Temporal never
// hangs a request: gRPC's own retries would otherwise keep a call waiting for tens of seconds.
import { Client, Connection } from '@temporalio/client';
import { tlsConfig, type TemporalOptions } from '../temporal/connection';
import { DependencyUnavailableError } from './errors';
import { errorMessage } from '../errors';

export interface TemporalAccess {
  readonly client: Client;
  readonly address: string;
  /** Runs `read` with a deadline on every Temporal call it makes. */
  withDeadline<T>(read: (client: Client) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function lazyTemporal(options: TemporalOptions, timeoutMs: number): TemporalAccess {
  const connection = Connection.lazy({
    address: options.address,
    connectTimeout: timeoutMs,
    ...tlsConfig(options),
  });
  const client = new Client({ connection, namespace: options.namespace });
  return {
    client,
    address: options.address,
    withDeadline: (read) => connection.withDeadline(Date.now() + timeoutMs, () => read(client)),
    close: () => connection.close(),
  };
}

/** A listing read: any failure becomes a 503 naming Temporal, since a listing has no safe default. */
export async function readTemporal<T>(
  temporal: TemporalAccess,
  read: (client: Client) => Promise<T>,
): Promise<T> {
  try {
    return await temporal.withDeadline(read);
  } catch (err) {
    throw new DependencyUnavailableError(
      `Temporal at ${temporal.address} is unavailable: ${errorMessage(err)}`,
      err,
    );
  }
}
