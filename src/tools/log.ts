/** Progress sink for long tool steps (builds, downloads, server starts). The CLI points it at stderr. */
export type ToolLog = (message: string) => void;

export const silentLog: ToolLog = () => undefined;

export interface EnsureToolOptions {
  log?: ToolLog;
  /** Environment to resolve overrides and PATH from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Lock options for a tool build or download: wait long, another process may be building it (minutes). */
export const BUILD_LOCK = (log: ToolLog) => ({ log, timeoutMs: 45 * 60_000 });
