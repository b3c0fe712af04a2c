// Input checks shared by the git provider's operations: everything here is a caller error
// (GitOpsInputError, non-retryable) caught before any git command runs.
import { posix } from 'node:path';
import { isValidBranchName } from '../branch';
import { GitOpsInputError, type ChangeRequest } from '../provider';

export function assertBranch(branch: string, what = 'branch'): void {
  if (!isValidBranchName(branch))
    throw new GitOpsInputError(`${what} "${branch}" is not a valid git branch name`);
}

/** Relative, normalized, inside the repository and not in .git. */
export function assertRepoPath(path: string): void {
  const normalized = posix.normalize(path);
  const escapes = normalized.startsWith('../') || normalized === '..' || posix.isAbsolute(path);
  if (
    path === '' ||
    path.startsWith('-') ||
    normalized !== path ||
    escapes ||
    path.split('/').includes('.git') ||
    path.includes('\\')
  ) {
    throw new GitOpsInputError(`"${path}" is not a normalized path relative to the repository root`);
  }
}

export function assertChangeRequest(request: ChangeRequest): void {
  assertBranch(request.branch);
  if (request.commitMessage.trim() === '')
    throw new GitOpsInputError(`change ${request.branch}: commit message is empty`);
  if (request.files.length === 0) throw new GitOpsInputError(`change ${request.branch}: no files to change`);
  const paths = new Set<string>();
  for (const file of request.files) {
    assertRepoPath(file.path);
    if (paths.has(file.path))
      throw new GitOpsInputError(`change ${request.branch}: ${file.path} is listed twice`);
    paths.add(file.path);
  }
}
