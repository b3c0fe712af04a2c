// Running the git CLI: execFile (no shell), a clean environment, a timeout, and errors whose message
// never carries a credential.
import { execFile } from 'node:child_process';
import { redact } from '../../evidence/redact';

export interface GitRunOptions {
  cwd?: string;
  /** Written to git's stdin. */
  input?: string;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 for merge-base --is-ancestor). */
  allowExitCodes?: readonly number[];
  /** Values to scrub from error messages (e.g. the password in the remote URL). */
  secrets?: readonly string[];
  timeoutMs?: number;
}

export interface GitResult {
  stdout: string;
  exitCode: number;
}

/** A git command failed. Message and stderr are already redacted. Transient by default: callers retry. */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

// Inherited variables that would point git at another repository or identity (e.g. when the tests
// run inside a git hook).
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
];

function gitEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  // Never wait for a password prompt in a worker; fail fast and let the activity retry.
  return { ...env, GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', LC_ALL: 'C', ...extra };
}

export function runGit(args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  const secrets = options.secrets ?? [];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnvironment(options.env),
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (exitCode !== null && (exitCode === 0 || options.allowExitCodes?.includes(exitCode))) {
          resolve({ stdout, exitCode });
          return;
        }
        const cleanStderr = redact(stderr.trim(), secrets);
        const why = error?.killed
          ? `timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
          : `exit ${exitCode ?? error?.code ?? '?'}`;
        const command = redact(['git', ...args].join(' '), secrets);
        reject(
          new GitCommandError(
            `${command} failed (${why})${cleanStderr ? `: ${cleanStderr}` : ''}`,
            exitCode,
            cleanStderr,
          ),
        );
      },
    );
    child.stdin?.on('error', () => undefined); // git may exit before reading its input; the exit code tells.
    child.stdin?.end(options.input ?? '');
  });
}
