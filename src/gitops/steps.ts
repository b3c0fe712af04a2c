// Actuator steps: each validates its input, reads the base, computes the edit and opens (or reuses)
// one change. See step-result.ts for what each outcome means to the caller.
import { isValidBranchName } from './branch';
import { ManifestError, restorePodTemplate, setPaused, type RolloutSelector } from './manifest';
import { GitOpsInputError, type Change, type GitProvider } from './provider';
import { findRollbackTarget } from './rollback-target';
import { failed, skipped, type StepResult } from './step-result';

export type { StepResult, StepFailReason, StepSkipReason } from './step-result';

export interface ProposalStepInput {
  provider: GitProvider;
  /** Path of the Rollout manifest, relative to the repository root (catalog rollback.manifest). */
  manifestPath: string;
  rollout: RolloutSelector;
  /** Deterministic, from changeBranch(incidentId, proposalType). */
  branch: string;
  title: string;
  /** Markdown evidence from renderChangeBody. */
  body: string;
  /** Defaults to the title. */
  commitMessage?: string;
}

export interface RollbackInput extends ProposalStepInput {
  /** Last time the service was seen healthy: the rollback restores the images on the base then. */
  lastHealthy: Date;
  /**
   * The revision whose pod template the approved proposal restores (from the release attribution);
   * when given, it is restored as is and `lastHealthy` is not used.
   */
  targetSha?: string;
}

export interface PauseInput extends ProposalStepInput {
  /** true blocks promotion (block-promotion), false lets the canary proceed (promote-canary). */
  paused: boolean;
}

/** rollback-rollout: restore the Rollout's images to the last revision seen healthy. */
export async function proposeRollback(input: RollbackInput): Promise<StepResult> {
  validate(input);
  if (Number.isNaN(input.lastHealthy.getTime()))
    throw new GitOpsInputError('proposeRollback: lastHealthy is not a valid date');
  return runStep(input, async (existing) => {
    if (input.targetSha !== undefined) return restoreRevision(input, input.targetSha, existing);
    const target = await findRollbackTarget(
      input.provider,
      input.manifestPath,
      input.lastHealthy,
      input.rollout,
    );
    if (target.status === 'nothing-to-roll-back')
      return skipped('nothing-to-roll-back', target.message, existing);
    const restored = restorePodTemplate(target.current, target.content, input.rollout, input.manifestPath);
    return openChange(input, restored, existing);
  });
}

async function restoreRevision(
  input: RollbackInput,
  sha: string,
  existing: Change | null,
): Promise<StepResult> {
  const [current, earlier] = await Promise.all([
    input.provider.readFile(input.manifestPath),
    input.provider.readFile(input.manifestPath, sha),
  ]);
  if (current === null)
    return failed('manifest-missing', `${input.manifestPath}: not found on the base branch`, existing);
  if (earlier === null)
    return failed('manifest-missing', `${input.manifestPath}: not found in revision ${sha}`, existing);
  const restored = restorePodTemplate(current, earlier, input.rollout, input.manifestPath);
  if (restored === current)
    return skipped(
      'nothing-to-roll-back',
      `${input.manifestPath}: the base branch already runs the images of ${sha.slice(0, 12)}`,
      existing,
    );
  return openChange(input, restored, existing);
}

/** block-promotion / promote-canary: set the Rollout's spec.paused. */
export async function proposePause(input: PauseInput): Promise<StepResult> {
  validate(input);
  return runStep(input, async (existing) => {
    const current = await input.provider.readFile(input.manifestPath);
    if (current === null)
      return failed('manifest-missing', `${input.manifestPath}: not found on the base branch`, existing);
    const next = setPaused(current, input.rollout, input.paused, input.manifestPath);
    if (next === current) {
      return skipped('no-diff', `${input.manifestPath}: spec.paused is already ${input.paused}`, existing);
    }
    return openChange(input, next, existing);
  });
}

/**
 * Common skeleton: a change a human closed is never reopened; manifest problems become a terminal
 * 'failed'; anything else propagates (retryable). A merged change is only done if the base still has
 * its content (the same proposal type can recur within one incident: block, promote, block again).
 */
async function runStep(
  input: ProposalStepInput,
  act: (existing: Change | null) => Promise<StepResult>,
): Promise<StepResult> {
  const existing = await input.provider.getChange(input.branch);
  if (existing?.state === 'closed') {
    return failed(
      'change-closed',
      `${existing.url} was closed without merging; SafeDeploy does not reopen it`,
      existing,
    );
  }
  try {
    const result = await act(existing);
    if (result.status !== 'skipped' || existing?.state !== 'merged') return result;
    return skipped('already-merged', `${existing.url} is merged: ${result.message}`, existing);
  } catch (error) {
    if (error instanceof ManifestError) return failed(error.code, error.message, existing);
    throw error;
  }
}

async function openChange(
  input: ProposalStepInput,
  content: string,
  existing: Change | null,
): Promise<StepResult> {
  const result = await input.provider.openChange({
    branch: input.branch,
    title: input.title,
    body: input.body,
    commitMessage: input.commitMessage ?? input.title,
    files: [{ path: input.manifestPath, content }],
  });
  if (result.status === 'succeeded') return result;
  return skipped(
    'no-diff',
    `${input.manifestPath}: the base branch already has this content`,
    result.change ?? existing,
  );
}

function validate(input: ProposalStepInput): void {
  const problems = [
    isValidBranchName(input.branch) ? null : `branch "${input.branch}" is not a valid git branch name`,
    input.manifestPath.trim() === '' ? 'manifestPath is empty' : null,
    input.rollout.name.trim() === '' ? 'rollout.name is empty' : null,
    input.title.trim() === '' ? 'title is empty' : null,
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new GitOpsInputError(`invalid proposal step input: ${problems.join('; ')}`);
}
