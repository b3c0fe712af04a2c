// Opening a change idempotently, in layers (after kargo's PR opener): reuse the open pull request for the
// branch; skip when the base already has the content; otherwise make sure the branch carries exactly one
// commit with the content (creating, reusing or advancing it) and open the pull request, reusing one that
// appeared meanwhile. Every step re-reads GitHub, so a run killed at any point converges when repeated.
import { GitOpsInputError, type ChangeRequest, type OpenChangeResult } from '../provider';
import { GitHubUnavailableError } from './errors';
import { currentChange, type GitHubPulls } from './pulls';
import type { GitHubRepository } from './repository';

export interface ChangeTarget {
  repository: GitHubRepository;
  pulls: GitHubPulls;
  baseBranch: string;
  /** owner/repo, for messages. */
  where: string;
}

export async function openChange(target: ChangeTarget, request: ChangeRequest): Promise<OpenChangeResult> {
  const current = currentChange(await target.pulls.forBranch(request.branch));
  if (current?.state === 'open') {
    const headSha = await ensureBranch(target, request, current.headSha);
    return { status: 'succeeded', change: { ...current, headSha }, created: false };
  }
  const base = await baseHead(target);
  if (await hasContent(target.repository, base, request)) {
    return { status: 'skipped', reason: 'no-diff', ...(current !== null ? { change: current } : {}) };
  }
  if (current?.state === 'closed') {
    throw new GitOpsInputError(
      `pull request #${current.number} for branch ${request.branch} on ${target.where} was closed without merging; ` +
        'reopen it to retry this change, or propose it again under a new branch',
    );
  }
  await ensureBranch(target, request, base);
  return openPullRequest(target, request);
}

async function baseHead(target: ChangeTarget): Promise<string> {
  const head = await target.repository.branchHead(target.baseBranch);
  if (head === null)
    throw new GitOpsInputError(`base branch ${target.baseBranch} does not exist in ${target.where}`);
  return head;
}

async function hasContent(
  repository: GitHubRepository,
  ref: string,
  request: ChangeRequest,
): Promise<boolean> {
  const stored = await Promise.all(request.files.map((file) => repository.readFile(file.path, ref)));
  return request.files.every((file, index) => stored[index]?.content === file.content);
}

/** Returns the branch head carrying the content; `parent` is where a missing branch starts. */
async function ensureBranch(target: ChangeTarget, request: ChangeRequest, parent: string): Promise<string> {
  const { repository } = target;
  let head = await repository.branchHead(request.branch);
  if (head === null) {
    const commit = await repository.commitFiles(parent, request.files, request.commitMessage);
    if ((await repository.createBranch(request.branch, commit)) === 'created') return commit;
    head = await branchHeadOrRetry(target, request.branch); // created concurrently: reuse it
  }
  return advanceBranch(target, request, head);
}

/** Adds a commit when the branch lacks the content; if the branch moved meanwhile, re-reads it once. */
async function advanceBranch(target: ChangeTarget, request: ChangeRequest, head: string): Promise<string> {
  const { repository } = target;
  for (let attempt = 0; ; attempt++) {
    if (await hasContent(repository, head, request)) return head;
    const commit = await repository.commitFiles(head, request.files, request.commitMessage);
    if ((await repository.moveBranch(request.branch, commit)) === 'moved') return commit;
    if (attempt === 1) break;
    head = await branchHeadOrRetry(target, request.branch);
  }
  throw new GitHubUnavailableError(
    'git.updateRef',
    undefined,
    `branch ${request.branch} on ${target.where} keeps moving while SafeDeploy updates it; retry later`,
    undefined,
  );
}

async function branchHeadOrRetry(target: ChangeTarget, branch: string): Promise<string> {
  const head = await target.repository.branchHead(branch);
  if (head !== null) return head;
  throw new GitHubUnavailableError(
    'git.getRef',
    404,
    `branch ${branch} on ${target.where} disappeared while SafeDeploy was updating it; retry`,
    undefined,
  );
}

async function openPullRequest(target: ChangeTarget, request: ChangeRequest): Promise<OpenChangeResult> {
  const opened = await target.pulls.open(request);
  if (opened !== 'exists') return { status: 'succeeded', change: opened, created: true };
  const current = currentChange(await target.pulls.forBranch(request.branch));
  if (current?.state === 'open') return { status: 'succeeded', change: current, created: false };
  throw new GitHubUnavailableError(
    'pulls.create',
    422,
    `GitHub reports an open pull request for ${request.branch} on ${target.where} but lists none; retry`,
    undefined,
  );
}
