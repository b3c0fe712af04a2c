/** Process exit codes shared by every command (see README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The command ran but found a problem: a failed SLO query, a broken audit chain, gate deny. */
  failure: 1,
  /** Bad usage or bad input (flags, catalog, time): nothing was read or written. */
  usage: 2,
  /** A dependency could not be reached (Prometheus, Temporal, git remote). */
  unavailable: 3,
} as const;

/** An error meant for the operator: printed as one line, never as a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
