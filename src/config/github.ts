// GitHub credentials from the environment: a token, or a GitHub App (id, private key, installation).
import { readFileSync } from 'node:fs';
import type { GitHubAuth } from '../gitops/github';

export function githubAuthFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubAuth | undefined {
  if (env.GITHUB_TOKEN) return { kind: 'token', token: env.GITHUB_TOKEN };
  const appId = env.GITHUB_APP_ID;
  if (!appId) return undefined;
  // Empty counts as unset: docker-compose passes unset variables through as empty strings.
  const privateKey =
    env.GITHUB_APP_PRIVATE_KEY ||
    (env.GITHUB_APP_PRIVATE_KEY_FILE ? readFileSync(env.GITHUB_APP_PRIVATE_KEY_FILE, 'utf8') : undefined);
  const installationId = Number(env.GITHUB_APP_INSTALLATION_ID);
  if (!privateKey || !Number.isInteger(installationId)) {
    throw new Error(
      'GITHUB_APP_ID is set: also set GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE) and GITHUB_APP_INSTALLATION_ID',
    );
  }
  return { kind: 'app', appId, privateKey, installationId };
}

/** Every credential value, for redaction. */
export function secretsOf(auth: GitHubAuth | undefined): string[] {
  if (!auth) return [];
  return auth.kind === 'token' ? [auth.token] : [auth.privateKey];
}
