// A seeded environment repository per test file, copied for each test, with a git provider on the copy.
// Apart from git.ts because it registers jest hooks, and git.ts is also used by the benchmarks.
import { join } from 'node:path';
import { createGitProvider } from '../../src/gitops/git/provider';
import type { GitProvider } from '../../src/gitops/provider';
import { copyBareRepo, createBareRepo, seedHistory, tempDir, type SeedCommit } from './git';

/** One test's copy of a seeded environment repository, with a git provider on it. */
export interface EnvRepoCopy {
  bare: string;
  url: string;
  cacheDir: string;
  provider: GitProvider;
  /** The seeded commits, in order. */
  shas: string[];
  cleanup: () => void;
}

/**
 * Seeds a bare repository once per test file (beforeAll; removed in afterAll) and returns a function that
 * gives each test its own copy: copying is much cheaper than seeding again.
 */
export function useSeededEnvRepo(prefix: string, commits: SeedCommit[]): () => EnvRepoCopy {
  let template: { dir: ReturnType<typeof tempDir>; bare: string; shas: string[] } | undefined;
  beforeAll(() => {
    const dir = tempDir(`${prefix}-template`);
    const bare = join(dir.path, 'env.git');
    template = { dir, bare, shas: seedHistory(createBareRepo(bare), commits) };
  });
  afterAll(() => template?.dir.cleanup());
  return () => {
    if (!template) throw new Error('useSeededEnvRepo: a copy is asked for before the template is seeded');
    const dir = tempDir(prefix);
    const bare = join(dir.path, 'env.git');
    const url = copyBareRepo(template.bare, bare);
    const cacheDir = join(dir.path, 'cache');
    const provider = createGitProvider({ url, baseBranch: 'main', cacheDir });
    return { bare, url, cacheDir, provider, shas: template.shas, cleanup: dir.cleanup };
  };
}
