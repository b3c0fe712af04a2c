// The `git` provider: a change is a branch pushed to any git remote (file://, ssh, https), reviewed and
// merged by a human with whatever tool they use; a merge is detected by ancestry.
//
// Idempotency (docs/ARCHITECTURE.md invariant 5), decided per run from the freshly fetched remote:
// - no difference between the base and the requested files -> skipped 'no-diff';
// - the branch exists and already has the requested content -> reused as is (created=false);
// - the branch exists with other content (a crash before our commit, an older proposal, a human
//   push) -> one commit is added on top of it. History is never rewritten and nothing is force-pushed,
//   so a reviewer's commits survive and a concurrent writer makes our push fail (retryable) instead of
//   being overwritten;
// - the branch exists but its change was merged and the base moved away since -> one commit with the
//   base's content plus the files, whose parents are the old head and the base (still a fast-forward);
// - otherwise the branch is created with one commit on top of the base.
// Every commit carries a `SafeDeploy-Change: <branch>` trailer: "merged" means that commit is an
// ancestor of the base (so an empty branch never looks merged, and a merged branch that was then
// deleted is still found). getChange returns 'closed' for a branch deleted unmerged only if this cache
// remembers opening it; otherwise null. Keep cacheDir on a persistent volume.
import { join, resolve as resolvePath } from 'node:path';
import { redact } from '../../evidence/redact';
import {
  GitOpsInputError,
  type Change,
  type ChangeRequest,
  type ChangeState,
  type FileRevision,
  type GitProvider,
  type OpenChangeResult,
} from '../provider';
import { withFileLock } from '../../lock/file-lock';
import { assertBranch, assertChangeRequest, assertRepoPath } from './request-validation';
import { Mirror, type GitIdentity } from './mirror';
import { allowedGitSchemes, gitAllowProtocol, remoteUrlProblem } from './remote-policy';
import { parseRemoteUrl, type RemoteUrl } from './remote-url';

export interface GitProviderOptions {
  /** Any remote git understands; credentials in it are never logged, persisted or shown. */
  url: string;
  baseBranch: string;
  /** Holds one bare mirror per remote; may be shared by several worker processes. */
  cacheDir: string;
  author?: GitIdentity;
  /** Remote URL schemes git may use; default: SAFEDEPLOY_GIT_ALLOWED_SCHEMES or https, ssh, git, file. */
  allowedSchemes?: readonly string[];
}

export const SAFEDEPLOY_IDENTITY: GitIdentity = { name: 'SafeDeploy', email: 'safedeploy@noreply.invalid' };
export const CHANGE_TRAILER = 'SafeDeploy-Change';

export function createGitProvider(options: GitProviderOptions): GitProvider {
  assertBranch(options.baseBranch, 'base branch');
  const remote = parseRemoteUrl(options.url);
  const schemes = options.allowedSchemes ?? allowedGitSchemes();
  const problem = remoteUrlProblem(options.url, schemes);
  if (problem !== null) throw new GitOpsInputError(`git remote ${JSON.stringify(remote.display)} ${problem}`);
  return new GitRemoteProvider(
    { ...remote, allowProtocol: gitAllowProtocol(schemes) },
    options.baseBranch,
    resolvePath(options.cacheDir),
    {
      ...SAFEDEPLOY_IDENTITY,
      ...options.author,
    },
  );
}

class GitRemoteProvider implements GitProvider {
  readonly kind = 'git' as const;
  private readonly mirror: Mirror;
  private readonly lockPath: string;

  constructor(
    private readonly remote: RemoteUrl,
    private readonly baseBranch: string,
    cacheDir: string,
    private readonly identity: GitIdentity,
  ) {
    this.mirror = new Mirror(join(cacheDir, `${remote.cacheKey}.git`), remote);
    this.lockPath = join(cacheDir, `${remote.cacheKey}.lock`);
  }

  async readFile(path: string, ref?: string): Promise<string | null> {
    assertRepoPath(path);
    if (ref !== undefined && (ref === '' || ref.startsWith('-')))
      throw new GitOpsInputError(`invalid ref "${ref}"`);
    return this.synced(async () => {
      const commit = ref === undefined ? await this.baseHead() : await this.resolveRef(ref);
      return this.mirror.readBlob(commit, path);
    });
  }

  async fileHistory(path: string, until?: Date): Promise<FileRevision[]> {
    assertRepoPath(path);
    if (until && Number.isNaN(until.getTime()))
      throw new GitOpsInputError('fileHistory: "until" is not a valid date');
    return this.synced(async () => {
      const revisions = await this.mirror.history(await this.baseHead(), path, until);
      // git compares whole seconds; keep the contract exact for sub-second `until` values.
      return until ? revisions.filter((r) => Date.parse(r.date) <= until.getTime()) : revisions;
    });
  }

  async openChange(request: ChangeRequest): Promise<OpenChangeResult> {
    assertChangeRequest(request);
    return this.synced(() => this.open(request));
  }

  async getChange(branch: string): Promise<Change | null> {
    assertBranch(branch);
    return this.synced(() => this.describe(branch));
  }

  /** Serialized with every other user of this mirror, on freshly fetched refs. */
  private synced<T>(operation: () => Promise<T>): Promise<T> {
    return withFileLock(this.lockPath, async () => {
      await this.mirror.sync();
      return operation();
    });
  }

  private async open(request: ChangeRequest): Promise<OpenChangeResult> {
    const base = await this.baseHead();
    const onBase = await this.mirror.treeWith(base, request.files);
    if (onBase === (await this.mirror.treeOf(base))) {
      const change = await this.describe(request.branch);
      return change
        ? { status: 'skipped', reason: 'no-diff', change }
        : { status: 'skipped', reason: 'no-diff' };
    }
    const head = await this.mirror.remoteBranch(request.branch);
    if (head === null) return this.commitAndPush(request, onBase, [base], true);
    if (await this.isMerged(request.branch, head, base)) {
      // The branch's earlier change is already merged but the base has moved away from it (e.g. blocked,
      // promoted, now blocked again): start again from the base, keeping the old head as a parent so the
      // push stays a fast-forward.
      return this.commitAndPush(request, onBase, [head, base], false);
    }
    const onHead = await this.mirror.treeWith(head, request.files);
    if (onHead !== (await this.mirror.treeOf(head)))
      return this.commitAndPush(request, onHead, [head], false);
    await this.mirror.recordOpened(request.branch, head);
    return { status: 'succeeded', change: this.change(request.branch, 'open', head), created: false };
  }

  private async commitAndPush(
    request: ChangeRequest,
    tree: string,
    parents: string[],
    created: boolean,
  ): Promise<OpenChangeResult> {
    const message = this.commitMessage(request);
    const commit = await this.mirror.commitTree(tree, parents, message, this.identity);
    await this.mirror.push(commit, request.branch);
    await this.mirror.recordOpened(request.branch, commit);
    // A commit just made cannot be on the base yet: the change is open.
    return { status: 'succeeded', change: this.change(request.branch, 'open', commit), created };
  }

  /** Our newest change commit on the branch is already contained in the base. */
  private async isMerged(branch: string, head: string, base: string): Promise<boolean> {
    const ours = await this.mirror.findByTrailer(head, `${CHANGE_TRAILER}: ${branch}`);
    return ours !== null && (await this.mirror.isAncestor(ours, base));
  }

  private async describe(branch: string): Promise<Change | null> {
    const base = await this.baseHead();
    const trailer = `${CHANGE_TRAILER}: ${branch}`;
    const head = await this.mirror.remoteBranch(branch);
    if (head !== null) {
      const ours = await this.mirror.findByTrailer(head, trailer);
      if (ours === null || !(await this.mirror.isAncestor(ours, base))) {
        return this.change(branch, 'open', head);
      }
      return this.change(branch, 'merged', head, await this.mirror.landingCommit(ours, base));
    }
    const landed = await this.mirror.findByTrailer(base, trailer);
    if (landed !== null) {
      return this.change(branch, 'merged', landed, await this.mirror.landingCommit(landed, base));
    }
    const opened = await this.mirror.recordedOpened(branch);
    return opened === null ? null : this.change(branch, 'closed', opened);
  }

  private change(branch: string, state: ChangeState, headSha: string, mergeCommit?: string): Change {
    const change: Change = { branch, state, url: `${this.remote.display}#${branch}`, headSha };
    return mergeCommit ? { ...change, mergeCommit } : change;
  }

  /** Plain git has no pull request: the commit message carries the title, the evidence and our trailer. */
  private commitMessage(request: ChangeRequest): string {
    const text = `${request.commitMessage.trim()}\n\n${request.body.trim()}\n\n${CHANGE_TRAILER}: ${request.branch}\n`;
    return redact(text, this.remote.secrets);
  }

  private async baseHead(): Promise<string> {
    const head = await this.mirror.remoteBranch(this.baseBranch);
    if (head !== null) return head;
    throw new GitOpsInputError(
      `base branch "${this.baseBranch}" does not exist on ${this.remote.display}; check rollback.repo.baseBranch in the catalog`,
    );
  }

  /** A branch of the remote, or a commit id. */
  private async resolveRef(ref: string): Promise<string> {
    const commit = (await this.mirror.resolve(Mirror.remoteRef(ref))) ?? (await this.mirror.resolve(ref));
    if (commit !== null) return commit;
    throw new GitOpsInputError(`ref "${ref}" is neither a branch nor a commit of ${this.remote.display}`);
  }
}
