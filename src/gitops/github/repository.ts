// The narrow slice of GitHub's REST API the provider needs, over one repository. Octokit stays private to
// this file and pulls.ts: callers see branch heads, blobs, commits and pull requests, never SDK types, and
// every failure leaves as a scrubbed GitHubRejectedError or GitHubUnavailableError.
import type { FileRevision } from '../provider';
import {
  describeFailure,
  GitHubRejectedError,
  GitHubUnavailableError,
  toGitHubError,
  type GitHubFailure,
} from './errors';
import type { GitHubClient } from './octokit';
import type { Secrets } from './secrets';

export interface RepositoryCoordinates {
  owner: string;
  repo: string;
}

/** A file as stored on GitHub: its git blob sha and its text. */
export interface StoredFile {
  sha: string;
  content: string;
}

export interface NewFile {
  path: string;
  content: string;
}

/** Runs one API call; `recover` may turn an expected failure (e.g. 404) into a value. */
export type Call = <T>(
  operation: string,
  run: (client: GitHubClient) => Promise<T>,
  recover?: (failure: GitHubFailure) => T | undefined,
) => Promise<T>;

export function createCall(client: () => Promise<GitHubClient>, where: string, secrets: Secrets): Call {
  return async (operation, run, recover) => {
    try {
      return await run(await client());
    } catch (error) {
      if (error instanceof GitHubRejectedError || error instanceof GitHubUnavailableError) throw error;
      const failure = describeFailure(error);
      // A 404 from the token exchange says nothing about the branch or file the operation asked for.
      const recovered = failure.tokenExchange ? undefined : recover?.(failure);
      if (recovered !== undefined) return recovered;
      throw toGitHubError(operation, where, error, secrets);
    }
  };
}

export class GitHubRepository {
  constructor(
    private readonly call: Call,
    private readonly coordinates: RepositoryCoordinates,
  ) {}

  /** The commit a branch points at; null when the branch does not exist. */
  branchHead(branch: string): Promise<string | null> {
    return this.call(
      'git.getRef',
      async (client) =>
        (await client.rest.git.getRef({ ...this.coordinates, ref: `heads/${branch}` })).data.object.sha,
      (failure) => (failure.status === 404 ? null : undefined),
    );
  }

  /** A file at a ref (branch or commit); null when absent. */
  readFile(path: string, ref: string): Promise<StoredFile | null> {
    return this.call(
      'repos.getContent',
      async (client) => {
        const { data } = await client.rest.repos.getContent({ ...this.coordinates, path, ref });
        if (Array.isArray(data) || data.type !== 'file')
          throw this.rejected('repos.getContent', `${path} is not a file`);
        if (data.encoding !== 'base64') {
          throw this.rejected(
            'repos.getContent',
            `${path} is too large for the contents API (${data.size} bytes)`,
          );
        }
        return { sha: data.sha, content: Buffer.from(data.content, 'base64').toString('utf8') };
      },
      // A missing ref is also a 404 ("No commit found for the ref ..."): that is an error, not an absent file.
      (failure) => (failure.status === 404 && !/no commit found/i.test(failure.message) ? null : undefined),
    );
  }

  /** Commits reachable from `ref` that changed `path`, newest first. */
  fileHistory(path: string, ref: string, until?: Date): Promise<FileRevision[]> {
    return this.call('repos.listCommits', async (client) => {
      const commits = await client.paginate(client.rest.repos.listCommits, {
        ...this.coordinates,
        sha: ref,
        path,
        ...(until !== undefined ? { until: until.toISOString() } : {}),
        per_page: 100,
      });
      return commits.map(({ sha, commit }) => {
        const date = commit.committer?.date ?? commit.author?.date;
        if (date === undefined) throw this.rejected('repos.listCommits', `commit ${sha} has no date`);
        const author = commit.author?.name
          ? `${commit.author.name}${commit.author.email ? ` <${commit.author.email}>` : ''}`
          : undefined;
        const subject = commit.message.split('\n')[0];
        return { sha, date, ...(author ? { author } : {}), ...(subject ? { subject } : {}) };
      });
    });
  }

  /** One commit on top of `parent` replacing `files`; blobs are content-addressed, so retries are harmless. */
  commitFiles(parent: string, files: NewFile[], message: string): Promise<string> {
    return this.call('git.createCommit', async (client) => {
      const git = client.rest.git;
      const baseTree = (await git.getCommit({ ...this.coordinates, commit_sha: parent })).data.tree.sha;
      const blobs = await Promise.all(
        files.map(async ({ path, content }) => {
          const blob = await git.createBlob({ ...this.coordinates, content, encoding: 'utf-8' });
          return { path, mode: '100644' as const, type: 'blob' as const, sha: blob.data.sha };
        }),
      );
      const tree = await git.createTree({ ...this.coordinates, base_tree: baseTree, tree: blobs });
      const commit = await git.createCommit({
        ...this.coordinates,
        message,
        tree: tree.data.sha,
        parents: [parent],
      });
      return commit.data.sha;
    });
  }

  /** Creates the branch at `sha`; 'exists' when a previous or concurrent run already created it. */
  createBranch(branch: string, sha: string): Promise<'created' | 'exists'> {
    return this.call(
      'git.createRef',
      async (client) => {
        await client.rest.git.createRef({ ...this.coordinates, ref: `refs/heads/${branch}`, sha });
        return 'created' as const;
      },
      (failure) => (failure.status === 422 && /already exists/i.test(failure.message) ? 'exists' : undefined),
    );
  }

  /** Fast-forwards the branch to `sha`; 'stale' when it moved (or vanished) since we read it. */
  moveBranch(branch: string, sha: string): Promise<'moved' | 'stale'> {
    return this.call(
      'git.updateRef',
      async (client) => {
        await client.rest.git.updateRef({ ...this.coordinates, ref: `heads/${branch}`, sha, force: false });
        return 'moved' as const;
      },
      (failure) => (failure.status === 409 || failure.status === 422 ? 'stale' : undefined),
    );
  }

  private rejected(operation: string, message: string): GitHubRejectedError {
    const where = `${this.coordinates.owner}/${this.coordinates.repo}`;
    return new GitHubRejectedError(
      operation,
      undefined,
      `GitHub ${operation} on ${where}: ${message}`,
      undefined,
    );
  }
}
