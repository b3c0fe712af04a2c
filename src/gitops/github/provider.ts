// GitProvider for GitHub (and GitHub Enterprise Server) over the REST API: no git CLI, no clone.
import {
  GitOpsInputError,
  type Change,
  type ChangeRequest,
  type FileRevision,
  type GitProvider,
  type OpenChangeResult,
} from '../provider';
import { isValidBranchName, isValidFilePath } from './names';
import { createGitHubClient, type GitHubClient } from './octokit';
import { openChange, type ChangeTarget } from './open-change';
import { validateOptions, type GitHubProviderOptions } from './options';
import { currentChange, GitHubPulls } from './pulls';
import { GitHubRepository, createCall } from './repository';
import { scrubChangeRequest, validateChangeRequest } from './request';
import { Secrets } from './secrets';

/** Validates the options now; the Octokit client is built on first use (it loads as an ES module). */
export function createGitHubProvider(options: GitHubProviderOptions): GitProvider {
  validateOptions(options);
  const secrets = new Secrets(options.auth);
  const where = `${options.owner}/${options.repo}`;
  let client: Promise<GitHubClient> | undefined;
  const call = createCall(() => (client ??= createGitHubClient(options, secrets)), where, secrets);
  const coordinates = { owner: options.owner, repo: options.repo };
  const target: ChangeTarget = {
    repository: new GitHubRepository(call, coordinates),
    pulls: new GitHubPulls(call, coordinates, options.baseBranch),
    baseBranch: options.baseBranch,
    where,
  };
  return new GitHubProvider(target, secrets);
}

class GitHubProvider implements GitProvider {
  readonly kind = 'github' as const;
  /** Set once the base branch is known to be readable, so a 404 on a file means "no such file". */
  private baseChecked = false;

  constructor(
    private readonly target: ChangeTarget,
    private readonly secrets: Secrets,
  ) {}

  async readFile(path: string, ref?: string): Promise<string | null> {
    assertFilePath(path);
    const file = await this.target.repository.readFile(path, ref ?? this.target.baseBranch);
    if (file === null) await this.assertBaseReadable();
    return file?.content ?? null;
  }

  async fileHistory(path: string, until?: Date): Promise<FileRevision[]> {
    assertFilePath(path);
    if (until !== undefined && Number.isNaN(until.getTime()))
      throw new GitOpsInputError('fileHistory: until is an invalid date');
    return this.target.repository.fileHistory(path, this.target.baseBranch, until);
  }

  async openChange(request: ChangeRequest): Promise<OpenChangeResult> {
    validateChangeRequest(request, this.target.baseBranch);
    return openChange(this.target, scrubChangeRequest(request, this.secrets));
  }

  async getChange(branch: string): Promise<Change | null> {
    if (!isValidBranchName(branch))
      throw new GitOpsInputError(`getChange: ${JSON.stringify(branch)} is not a valid branch name`);
    return currentChange(await this.target.pulls.forBranch(branch));
  }

  /** GitHub answers 404 both for a missing file and for a repository it hides from us: tell them apart. */
  private async assertBaseReadable(): Promise<void> {
    if (this.baseChecked) return;
    const { repository, baseBranch, where } = this.target;
    if ((await repository.branchHead(baseBranch)) === null) {
      throw new GitOpsInputError(
        `GitHub repository ${where} or its base branch ${baseBranch} was not found; ` +
          'check the name and that the credentials can read it',
      );
    }
    this.baseChecked = true;
  }
}

function assertFilePath(path: string): void {
  if (!isValidFilePath(path))
    throw new GitOpsInputError(`${JSON.stringify(path)} is not a relative file path`);
}
