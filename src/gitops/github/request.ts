// Checks a ChangeRequest before any call to GitHub and strips credentials from the text humans will read.
import { GitOpsInputError, type ChangeRequest } from '../provider';
import { isValidBranchName, isValidFilePath } from './names';
import type { Secrets } from './secrets';

export function validateChangeRequest(request: ChangeRequest, baseBranch: string): void {
  const where = `change request for branch ${JSON.stringify(request.branch)}`;
  if (!isValidBranchName(request.branch))
    throw new GitOpsInputError(`${where}: branch is not a valid git branch name`);
  if (request.branch === baseBranch)
    throw new GitOpsInputError(`${where}: branch must differ from the base branch`);
  if (request.title.trim() === '') throw new GitOpsInputError(`${where}: title is empty`);
  if (request.commitMessage.trim() === '') throw new GitOpsInputError(`${where}: commitMessage is empty`);
  if (request.files.length === 0) throw new GitOpsInputError(`${where}: files is empty`);
  const seen = new Set<string>();
  request.files.forEach(({ path }, index) => {
    if (!isValidFilePath(path)) {
      throw new GitOpsInputError(
        `${where}: files[${index}].path ${JSON.stringify(path)} is not a relative file path`,
      );
    }
    if (seen.has(path)) throw new GitOpsInputError(`${where}: files[${index}].path ${path} appears twice`);
    seen.add(path);
  });
}

/** Title, body and commit message become public on GitHub: a credential pasted into evidence must not. */
export function scrubChangeRequest(request: ChangeRequest, secrets: Secrets): ChangeRequest {
  return {
    ...request,
    title: secrets.scrub(request.title),
    body: secrets.scrub(request.body),
    commitMessage: secrets.scrub(request.commitMessage),
  };
}
