// The --address/--namespace flags every Temporal-backed command shares, and one connection per
// command: an unreachable server or an unknown namespace becomes one line and a documented exit
// code instead of a gRPC stack trace.
import type { Client } from '@temporalio/client';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import type { Command } from 'commander';
import { connectClient, temporalOptionsFromEnv, type TemporalOptions } from '../temporal/connection';
import { CliError, EXIT } from './errors';
import { errorFirstLine } from '../errors';

export interface TemporalFlags {
  address?: string;
  namespace?: string;
}

/** Short, so that a wrong address fails in seconds rather than hanging a terminal or a pipeline. */
export const CONNECT_TIMEOUT_MS = 5_000;

export function addTemporalOptions(command: Command): Command {
  return command
    .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE, default "default")');
}

export function temporalOptionsFrom(flags: TemporalFlags): TemporalOptions {
  return temporalOptionsFromEnv({
    ...(flags.address ? { address: flags.address } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  });
}

/** Connects, or throws the one-line "cannot reach Temporal" error (exit 3). */
export async function connectOrExit(options: TemporalOptions): Promise<Client> {
  try {
    return await connectClient(options, CONNECT_TIMEOUT_MS);
  } catch (err) {
    throw unreachable(options, err);
  }
}

/** Runs `work` with a connected client, closes the connection, and turns Temporal errors into CliErrors. */
export async function withTemporal<T>(
  flags: TemporalFlags,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const options = temporalOptionsFrom(flags);
  const client = await connectOrExit(options);
  try {
    return await work(client);
  } catch (err) {
    throw asCliError(options, err);
  } finally {
    await client.connection.close().catch(() => undefined);
  }
}

function asCliError(options: TemporalOptions, err: unknown): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof NamespaceNotFoundError || /namespace .*not found/i.test(errorFirstLine(err))) {
    return new CliError(
      `Temporal namespace "${options.namespace}" does not exist at ${options.address} (use --namespace or TEMPORAL_NAMESPACE)`,
      EXIT.usage,
    );
  }
  if (err instanceof ServiceError || isGrpcServiceError(err)) return unreachable(options, err);
  return err;
}

function unreachable(options: TemporalOptions, err: unknown): CliError {
  return new CliError(
    `cannot reach Temporal at ${options.address}: ${errorFirstLine(err)}`,
    EXIT.unavailable,
  );
}

/** The first line of an error (src/errors.ts); src/cli/actions.ts imports it under this name. */
export const messageOf = errorFirstLine;
