export { createGitHubProvider } from './provider';
export type { GitHubAuth, GitHubProviderLog, GitHubProviderOptions } from './options';
export { GitHubRejectedError, GitHubUnavailableError } from './errors';
