// A git remote URL comes from the catalog: `--upload-pack=<cmd>` and friends must never reach git as
// options. Each payload would create a marker file if git ran it; the marker must never appear,
// through `catalog validate`, the worker's provider factory, the git provider and the mirror itself.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { providerFor } from '../../src/gitops/factory';
import { GitCommandError } from '../../src/gitops/git/exec';
import { Mirror } from '../../src/gitops/git/mirror';
import { createGitProvider } from '../../src/gitops/git/provider';
import { GitOpsInputError } from '../../src/gitops/provider';
import { createBareRepo, git, tempDir } from '../harness/git';
import { runCli } from '../support/cli';

const GOOD = readFileSync(join(__dirname, '..', 'fixtures', 'catalog', 'good', 'checkout.yaml'), 'utf8');
let dir: { path: string; cleanup: () => void };
let marker: string;
let bare: string;

beforeAll(() => {
  dir = tempDir('untrusted-git');
  marker = join(dir.path, 'pwned');
  bare = join(dir.path, 'env.git');
  createBareRepo(bare);
});
afterAll(() => dir.cleanup());
afterEach(() => expect(existsSync(marker)).toBe(false));

const payloads = () => [
  `--upload-pack=touch ${marker} #`,
  `--receive-pack=touch ${marker} #`,
  `-u touch ${marker} #`,
  `ext::sh -c touch% ${marker}`,
  `ext::sh%20-c%20touch%20${marker}`,
  `ssh://-oProxyCommand=touch%20${marker}/x`,
];

it('the payload is real: given to git as an option, it runs', () => {
  const control = join(dir.path, 'control');
  git(dir.path, ['ls-remote', `--upload-pack=touch ${control}; git-upload-pack`, bare]);
  expect(existsSync(control)).toBe(true);
});

describe('catalog validate', () => {
  it.each(payloads().map((p) => [p]))('refuses rollback.repo.url %j by file and field', async (url) => {
    const catalog = join(dir.path, `catalog-${Math.random().toString(36).slice(2)}`);
    await mkdir(catalog);
    const repo = `repo: { provider: git, url: ${JSON.stringify(url)}, baseBranch: main }`;
    await writeFile(join(catalog, 'checkout.yaml'), GOOD.replace(/repo: \{.*\}/, repo));
    const run = await runCli(['catalog', 'validate', '--catalog', catalog]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/checkout\.yaml \(document 1\): spec\.rollback\.repo\.url: /);
  });

  it('refuses a scheme outside SAFEDEPLOY_GIT_ALLOWED_SCHEMES', async () => {
    const catalog = join(dir.path, 'catalog-schemes');
    await mkdir(catalog);
    const repo = `repo: { provider: git, url: "file://${bare}", baseBranch: main }`;
    await writeFile(join(catalog, 'checkout.yaml'), GOOD.replace(/repo: \{.*\}/, repo));
    const run = await runCli(['catalog', 'validate', '--catalog', catalog], {
      env: { SAFEDEPLOY_GIT_ALLOWED_SCHEMES: 'https,ssh' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'spec.rollback.repo.url: uses scheme "file", which is not allowed (allowed: https, ssh;',
    );
    expect((await runCli(['catalog', 'validate', '--catalog', catalog])).code).toBe(0);
  });
});

describe('the worker’s git provider', () => {
  it.each(payloads().map((p) => [p]))('refuses %j before running git', (url) => {
    const cacheDir = join(dir.path, 'cache');
    expect(() =>
      providerFor({ provider: 'git', url, baseBranch: 'main' }, { gitCacheDir: cacheDir }),
    ).toThrow(GitOpsInputError);
    expect(() => createGitProvider({ url, baseBranch: 'main', cacheDir })).toThrow(
      /git remote ".*" (must|has|uses)/,
    );
    expect(existsSync(cacheDir)).toBe(false);
  });

  it('passes the URL after --end-of-options, so even an unchecked one is only a (missing) repository', async () => {
    const mirror = new Mirror(join(dir.path, 'mirror.git'), {
      url: `--upload-pack=touch ${marker} #`,
      display: 'evil',
      secrets: [],
      cacheKey: 'evil',
    });
    await expect(mirror.sync()).rejects.toThrow(GitCommandError);
    await expect(mirror.push('--upload-pack=x', 'main')).rejects.toThrow(GitOpsInputError);
  });
});
