// The `--database-url` flag shared by the commands that read or write evidence and audit, and the
// one-line errors for a database that is misconfigured or unreachable.
import { databaseUrlDefault } from '../config/env';
import { isConnectionError, redactDatabaseUrl } from '../store/postgres/pool';
import { openPostgres, openStore } from '../store/open';
import type { SafeDeployStore } from '../store/store';
import type { PostgresStore } from '../store/postgres/store';
import { CliError, EXIT } from './errors';
import { errorMessage } from '../errors';

export const DATABASE_URL_FLAG = [
  '--database-url <url>',
  'PostgreSQL for evidence and audit, postgres://… (env SAFEDEPLOY_DATABASE_URL; default: files in the data directory)',
] as const;

export function databaseUrlFrom(flag: string | undefined): string | undefined {
  return flag ?? databaseUrlDefault();
}

/** The PostgreSQL store named by the flag or environment; a usage error when there is none. */
export function requirePostgres(flag: string | undefined): PostgresStore {
  const url = databaseUrlFrom(flag);
  if (!url)
    throw new CliError('no database: pass --database-url postgres://… or set SAFEDEPLOY_DATABASE_URL');
  try {
    return openPostgres(url);
  } catch (err) {
    throw new CliError(`invalid database URL: ${errorMessage(err)}`);
  }
}

/** Turns a database failure into the CLI's one-line error (exit 3 when the server cannot be reached). */
export function databaseError(url: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const message = errorMessage(err);
  const where = redactDatabaseUrl(url);
  if (isConnectionError(err) || /ENOTFOUND|EAI_AGAIN|does not exist|password authentication/.test(message))
    return new CliError(`cannot use the database at ${where}: ${message}`, EXIT.unavailable);
  return new CliError(`database at ${where}: ${message}`, EXIT.failure);
}

/** `{ databaseUrl }` when the flag or SAFEDEPLOY_DATABASE_URL names one, for options objects. */
export function databaseOption(flag: string | undefined): { databaseUrl?: string } {
  const url = databaseUrlFrom(flag);
  return url ? { databaseUrl: url } : {};
}

/** The store a command reads or writes: PostgreSQL when configured (migrated), files otherwise. */
export async function openCommandStore(dataDir: string, flag: string | undefined): Promise<SafeDeployStore> {
  const url = databaseUrlFrom(flag);
  try {
    return await openStore({ dataDir, ...(url ? { databaseUrl: url } : {}) });
  } catch (err) {
    throw databaseError(url ?? '', err);
  }
}
