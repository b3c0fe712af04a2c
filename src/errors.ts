// Error text, one way everywhere. Anything can be thrown (an Error, a string, a gRPC status object),
// and code that reports a failure to a person needs its words without guessing the shape. Callers
// still add what failed, where and what to do; these only say why.

/** An Error's message, otherwise the thrown value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The first line of errorMessage: for one-line CLI errors (gRPC and YAML errors span several lines). */
export function errorFirstLine(err: unknown): string {
  const text = errorMessage(err);
  return text.split('\n')[0] ?? text;
}

/**
 * Node's error code (ENOENT, EACCES, ECONNREFUSED, …) when the error has one, else errorMessage: the
 * code is what a person can act on for file and socket errors, and their messages repeat the path.
 */
export function errorCode(err: unknown): string {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : errorMessage(err);
}

/**
 * An activity failure as a person reads it (workflow details, the Web UI): the failure's type and the
 * cause's message, "CatalogError: catalog/checkout.yaml: …", or the bare message when it has no type.
 */
export function activityFailureText(err: {
  message: string;
  cause?: { message: string; type?: string | null } | undefined;
}): string {
  const cause = err.cause;
  if (!cause) return err.message;
  return cause.type ? `${cause.type}: ${cause.message}` : cause.message;
}
