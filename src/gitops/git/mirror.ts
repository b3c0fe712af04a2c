// The cached bare repository for one remote: fetched before every operation, written to only with
// plumbing (no working tree, so nothing can be half checked out), and pushed by explicit commit id.
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit, type GitResult, type GitRunOptions } from './exec';
import { GitOpsInputError } from '../provider';
import type { RemoteUrl } from './remote-url';
import type { FileRevision } from '../provider';

export interface GitIdentity {
  name: string;
  email: string;
}

/** Remote branches are fetched here; our own records of opened changes live outside refs/remotes. */
const REMOTE_REFS = 'refs/remotes/origin';
const OPENED_REFS = 'refs/safedeploy/opened';

export class Mirror {
  constructor(
    readonly dir: string,
    private readonly remote: RemoteUrl,
  ) {}

  git(args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
    return runGit(args, { ...options, cwd: this.dir, secrets: this.remote.secrets });
  }

  /**
   * A command that talks to the remote: the URL comes after --end-of-options, so no URL can be read
   * as an option (--upload-pack=<cmd>), and git itself refuses schemes outside the allow-list.
   */
  private remoteGit(command: 'fetch' | 'push', flags: string[], refspec: string): Promise<GitResult> {
    const env = this.remote.allowProtocol ? { GIT_ALLOW_PROTOCOL: this.remote.allowProtocol } : undefined;
    const args = [command, ...flags, '--end-of-options', this.remote.url, refspec];
    return this.git(args, env ? { env } : {});
  }

  /** Creates the mirror on first use and fetches every branch (pruning deleted ones). */
  async sync(): Promise<void> {
    const exists = await access(join(this.dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(this.dir, { recursive: true });
      await this.git(['init', '--bare', '--quiet']);
      await this.git(['config', 'safedeploy.remote', this.remote.display]);
    }
    await this.remoteGit('fetch', ['--prune', '--no-tags', '--quiet'], `+refs/heads/*:${REMOTE_REFS}/*`);
  }

  /** Commit id of `ref`, or null when it does not exist. */
  async resolve(ref: string): Promise<string | null> {
    const { stdout, exitCode } = await this.git(
      ['rev-parse', '--verify', '--quiet', `${data(ref)}^{commit}`],
      {
        allowExitCodes: [1, 128],
      },
    );
    return exitCode === 0 ? stdout.trim() : null;
  }

  remoteBranch(branch: string): Promise<string | null> {
    return this.resolve(`${REMOTE_REFS}/${branch}`);
  }

  async isAncestor(commit: string, of: string): Promise<boolean> {
    const args = ['merge-base', '--is-ancestor', '--end-of-options', data(commit), data(of)];
    const { exitCode } = await this.git(args, { allowExitCodes: [1] });
    return exitCode === 0;
  }

  async treeOf(commit: string): Promise<string> {
    return (await this.git(['rev-parse', `${data(commit)}^{tree}`])).stdout.trim();
  }

  /** Contents of `path` at `commit`, or null when there is no such file. */
  async readBlob(commit: string, path: string): Promise<string | null> {
    const { stdout, exitCode } = await this.git(
      ['rev-parse', '--verify', '--quiet', `${data(commit)}:${path}`],
      {
        allowExitCodes: [1, 128],
      },
    );
    if (exitCode !== 0) return null;
    return (await this.git(['cat-file', 'blob', stdout.trim()])).stdout;
  }

  /** The tree of `commit` with `files` replaced (or added), built in a throwaway index. */
  async treeWith(commit: string, files: readonly { path: string; content: string }[]): Promise<string> {
    const scratch = await mkdtemp(join(tmpdir(), 'safedeploy-index-'));
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      await this.git(['read-tree', '--end-of-options', data(commit)], { env });
      for (const file of files) {
        const blob = (
          await this.git(['hash-object', '-w', '--stdin'], { input: file.content })
        ).stdout.trim();
        const mode = await this.fileMode(commit, file.path);
        await this.git(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file.path}`], { env });
      }
      return (await this.git(['write-tree'], { env })).stdout.trim();
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Keeps an executable bit; anything else (new file, symlink) becomes a regular file. */
  private async fileMode(commit: string, path: string): Promise<string> {
    const { stdout } = await this.git(['ls-tree', '--end-of-options', data(commit), '--', path]);
    return stdout.startsWith('100755 ') ? '100755' : '100644';
  }

  async commitTree(
    tree: string,
    parents: readonly string[],
    message: string,
    identity: GitIdentity,
  ): Promise<string> {
    const env = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    const args = [
      'commit-tree',
      '--no-gpg-sign',
      data(tree),
      ...parents.flatMap((p) => ['-p', data(p)]),
      '-F',
      '-',
    ];
    return (await this.git(args, { env, input: message })).stdout.trim();
  }

  /**
   * Pushes `commit` to the remote branch without force: if someone moved the branch meanwhile the
   * push is rejected (a retryable error) and the next attempt starts from the fetched state.
   */
  async push(commit: string, branch: string): Promise<void> {
    await this.remoteGit('push', ['--quiet'], `${data(commit)}:refs/heads/${branch}`);
    await this.git(['update-ref', '--end-of-options', `${REMOTE_REFS}/${branch}`, data(commit)]);
  }

  /** Remembers that we opened `branch` at `commit`, to tell "closed" from "never existed" later. */
  async recordOpened(branch: string, commit: string): Promise<void> {
    await this.git(['update-ref', '--end-of-options', `${OPENED_REFS}/${branch}`, data(commit)]);
  }

  recordedOpened(branch: string): Promise<string | null> {
    return this.resolve(`${OPENED_REFS}/${branch}`);
  }

  /** Newest commit reachable from `from` whose message carries `trailer` as a whole line. */
  async findByTrailer(from: string, trailer: string): Promise<string | null> {
    const pattern = `^${trailer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const { stdout } = await this.git([
      'log',
      '-1',
      '--format=%H',
      '--extended-regexp',
      `--grep=${pattern}`,
      '--end-of-options',
      data(from),
    ]);
    return stdout.trim() || null;
  }

  /** The commit on `base`'s first-parent line that brought `commit` in (a merge, or itself if fast-forwarded). */
  async landingCommit(commit: string, base: string): Promise<string> {
    const { stdout } = await this.git([
      'rev-list',
      '--first-parent',
      '--ancestry-path',
      '--end-of-options',
      `${data(commit)}..${data(base)}`,
    ]);
    const oldest = stdout.trim().split('\n').filter(Boolean).pop();
    if (!oldest) return commit;
    const firstParent = (await this.git(['rev-parse', `${data(oldest)}^1`])).stdout.trim();
    return firstParent === commit ? commit : oldest;
  }

  /** Commits on `base`'s first-parent line touching `path`, newest first, with committer dates. */
  async history(base: string, path: string, until?: Date): Promise<FileRevision[]> {
    const args = ['log', '--first-parent', '--format=%H%x1f%cI%x1f%an <%ae>%x1f%s'];
    if (until) args.push(`--until=@${Math.floor(until.getTime() / 1000)}`);
    const { stdout } = await this.git([...args, '--end-of-options', data(base), '--', path]);
    return stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sha = '', date = '', author = '', subject = ''] = line.split('\x1f');
        return { sha, date: new Date(date).toISOString(), author, subject };
      });
  }

  static remoteRef(branch: string): string {
    return `${REMOTE_REFS}/${branch}`;
  }
}

/**
 * A ref or commit id passed to git. rev-parse reads its arguments itself (it has no --end-of-options
 * in every git version), so anything that could be an option is refused before git runs.
 */
function data(ref: string): string {
  if (ref.startsWith('-') || ref === '') throw new GitOpsInputError(`"${ref}" is not a git ref or commit id`);
  return ref;
}
