// Chooses the provider for a catalog repository explicitly from configuration (no registration by
// side effect): `git` for any remote, `github` for pull requests through the REST API.
import type { RepoRef } from '../catalog/model';
import { createGitProvider } from './git/provider';
import { createGitHubProvider, type GitHubAuth } from './github';
import { GitOpsInputError, type GitProvider } from './provider';

export interface ProviderConfig {
  /** Where the git provider keeps its mirrors. */
  gitCacheDir: string;
  github?: GitHubAuth;
}

export function providerFor(repo: RepoRef, config: ProviderConfig): GitProvider {
  if (repo.provider === 'git')
    return createGitProvider({ url: repo.url, baseBranch: repo.baseBranch, cacheDir: config.gitCacheDir });
  if (!config.github) {
    throw new GitOpsInputError(
      `no GitHub credentials for ${repo.owner}/${repo.name}: set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY_FILE and GITHUB_APP_INSTALLATION_ID`,
    );
  }
  return createGitHubProvider({
    owner: repo.owner,
    repo: repo.name,
    baseBranch: repo.baseBranch,
    ...(repo.baseUrl ? { baseUrl: repo.baseUrl } : {}),
    auth: config.github,
  });
}
