// The local environment repository: a bare git repository in the data folder, standing in for the
// GitOps repository Argo CD would sync. Seeded once from examples/env-repo (checkout 1.8.2); after
// that only SafeDeploy's branches, the demo's releases and reviewers' merges change it.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGit } from '../gitops/git/exec';
import { envRepoSeed } from './layout';

export interface GitIdentity {
  name: string;
  email: string;
}

export const STACK_IDENTITY: GitIdentity = {
  name: 'SafeDeploy local stack',
  email: 'stack@safedeploy.local',
};

/** Environment for a commit by `who`, optionally dated (ISO 8601), ignoring the user's git identity. */
export function commitEnv(who: GitIdentity, date?: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
}

/** Creates and seeds the bare repository unless it exists; returns its file:// URL. */
export async function ensureEnvRepo(bareDir: string, log: (line: string) => void): Promise<string> {
  const url = `file://${bareDir}`;
  if (existsSync(path.join(bareDir, 'HEAD'))) return url;
  await runGit(['init', '--quiet', '--bare', '--initial-branch=main', '--end-of-options', bareDir]);
  const work = await mkdtemp(path.join(tmpdir(), 'safedeploy-env-seed-'));
  try {
    await cp(envRepoSeed(), work, { recursive: true });
    await runGit(['init', '--quiet', '--initial-branch=main'], { cwd: work });
    await runGit(['add', '--all'], { cwd: work });
    await commit(work, STACK_IDENTITY, 'checkout 1.8.2: initial environment');
    await runGit(['push', '--quiet', '--end-of-options', url, 'HEAD:refs/heads/main'], { cwd: work });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log(`environment repository created at ${bareDir} (checkout 1.8.2)`);
  return url;
}

/** Runs `use` on a throwaway clone of `url` (its main branch checked out), then deletes it. */
export async function withClone<T>(url: string, use: (work: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'safedeploy-env-'));
  try {
    const work = path.join(scratch, 'work');
    await runGit(['clone', '--quiet', '--branch', 'main', '--', url, work]);
    return await use(work);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A commit that never signs or runs hooks from the user's configuration. */
export async function commit(work: string, who: GitIdentity, message: string, date?: string): Promise<void> {
  await runGit(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', `--message=${message}`], {
    cwd: work,
    env: commitEnv(who, date),
  });
}
