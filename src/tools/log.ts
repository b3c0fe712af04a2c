/** Progress sink for long tool steps (builds, downloads, server starts). The CLI points it at stderr. */
export type ToolLog = (message: string) => void;

export const silentLog: ToolLog = () => undefined;

export interface EnsureToolOptions {
  log?: ToolLog;
  /** Environment to resolve overrides and PATH from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}
