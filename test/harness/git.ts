// Real git repositories for tests: a bare "remote" in a temp dir, seeded with a history at known
// commit dates, and the moves a human reviewer makes (merge, delete a branch, push a commit).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REVIEWER = { name: 'Rita Reviewer', email: 'rita@example.com' };

export interface SeedCommit {
  /** Full contents of each file written by this commit, by path. */
  files: Record<string, string>;
  message: string;
  /** ISO 8601; used as author and committer date. */
  date: string;
}

/** Isolated from the user's git configuration and from any repository the tests run inside. */
function testEnv(date?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('GIT_')) delete env[name];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: REVIEWER.name,
    GIT_AUTHOR_EMAIL: REVIEWER.email,
    GIT_COMMITTER_NAME: REVIEWER.name,
    GIT_COMMITTER_EMAIL: REVIEWER.email,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  };
}

export function git(cwd: string, args: string[], date?: string): string {
  return execFileSync('git', args, {
    cwd,
    env: testEnv(date),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A temp directory and its removal; call cleanup in afterEach/afterAll. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `safedeploy-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** An empty bare repository whose default branch is `main`; returns its file:// URL. */
export function createBareRepo(dir: string): string {
  git(dirname(dir), ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  return `file://${dir}`;
}

/** A copy of a bare repository (much cheaper than re-seeding one per test); returns its file:// URL. */
export function copyBareRepo(source: string, dest: string): string {
  cpSync(source, dest, { recursive: true });
  return `file://${dest}`;
}

export function cloneRepo(url: string, dest: string): string {
  git(dirname(dest), ['clone', '--quiet', url, dest]);
  return dest;
}

/** Commits `commits` in order on `branch` through a scratch clone and pushes; returns their ids. */
export function seedHistory(url: string, commits: SeedCommit[], branch = 'main', from?: string): string[] {
  const scratch = tempDir('seed');
  try {
    const work = cloneRepo(url, join(scratch.path, 'work'));
    const start = from ?? (git(work, ['ls-remote', '--heads', 'origin', branch]) ? `origin/${branch}` : '');
    git(
      work,
      start ? ['checkout', '--quiet', '-B', branch, start] : ['checkout', '--quiet', '--orphan', branch],
    );
    const shas = commits.map((commit) => {
      for (const [path, content] of Object.entries(commit.files)) {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), content);
        git(work, ['add', path]);
      }
      git(work, ['commit', '--quiet', '--allow-empty', '-m', commit.message], commit.date);
      return git(work, ['rev-parse', 'HEAD']);
    });
    git(work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    return shas;
  } finally {
    scratch.cleanup();
  }
}

/** What a reviewer does: merge `branch` into `base` (--no-ff unless fastForward) and push; returns the new base head. */
export function mergeAsReviewer(
  url: string,
  branch: string,
  options: { fastForward?: boolean; base?: string; date?: string } = {},
): string {
  const base = options.base ?? 'main';
  const scratch = tempDir('review');
  try {
    const work = cloneRepo(url, join(scratch.path, 'work'));
    git(work, ['checkout', '--quiet', base]);
    const mode = options.fastForward ? '--ff-only' : '--no-ff';
    git(work, ['merge', '--quiet', mode, '-m', `Merge ${branch}`, `origin/${branch}`], options.date);
    git(work, ['push', '--quiet', 'origin', base]);
    return git(work, ['rev-parse', 'HEAD']);
  } finally {
    scratch.cleanup();
  }
}

export function deleteRemoteBranch(bareDir: string, branch: string): void {
  git(bareDir, ['update-ref', '-d', `refs/heads/${branch}`]);
}

/** Points a branch at a commit directly in the bare repository (e.g. a branch created but never committed to). */
export function setRemoteBranch(bareDir: string, branch: string, commit: string): void {
  git(bareDir, ['update-ref', `refs/heads/${branch}`, commit]);
}

export function remoteBranches(bareDir: string): string[] {
  return git(bareDir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])
    .split('\n')
    .filter(Boolean);
}

export function revParse(bareDir: string, ref: string): string {
  return git(bareDir, ['rev-parse', ref]);
}

/** Commits on `branch` that are not on `base`, newest first. */
export function commitsAhead(bareDir: string, branch: string, base = 'main'): string[] {
  return git(bareDir, ['rev-list', `${base}..${branch}`])
    .split('\n')
    .filter(Boolean);
}

export function showFile(bareDir: string, ref: string, path: string): string {
  return execFileSync('git', ['show', `${ref}:${path}`], { cwd: bareDir, env: testEnv(), encoding: 'utf8' });
}
