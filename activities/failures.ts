// Activity failures the workflows and the Temporal Web UI can read: a type that names what failed, the
// cause's message, and the original error attached as the failure's cause (its class and stack), so
// neither the workflow nor a person reading the history is left with a bare message.
import { ApplicationFailure } from '@temporalio/activity';
import { ensureApplicationFailure } from '@temporalio/common';
import { errorMessage } from '../src/errors';

/**
 * A failure retrying cannot fix (bad input, an invalid catalog). Its type is `type`, else the
 * error's class name (GitOpsInputError, CatalogError); `details` carry structured reasons.
 */
export function nonRetryableFailure(err: unknown, type?: string, details?: unknown[]): ApplicationFailure {
  const cause = err instanceof Error ? err : undefined;
  return ApplicationFailure.create({
    message: errorMessage(err),
    type: type ?? cause?.name ?? 'Error',
    nonRetryable: true,
    // As an ApplicationFailure the cause keeps its class name and stack across the wire; a plain
    // Error would arrive with its message only.
    ...(cause ? { cause: ensureApplicationFailure(cause) } : {}),
    ...(details ? { details } : {}),
  });
}
