// The one shape every actuator step returns (kargo-style): succeeded, skipped (nothing to do, with a
// reason) or failed (terminal: retrying cannot help, a human must act). Transient errors are thrown
// instead, so Temporal retries them; malformed step input throws GitOpsInputError before any I/O.
import type { ManifestErrorCode } from './manifest';
import type { Change } from './provider';

export type StepSkipReason = 'no-diff' | 'nothing-to-roll-back' | 'already-merged';
export type StepFailReason = ManifestErrorCode | 'change-closed';

export type StepResult =
  | { status: 'succeeded'; change: Change; created: boolean }
  | { status: 'skipped'; reason: StepSkipReason; message: string; change?: Change }
  | { status: 'failed'; reason: StepFailReason; message: string; change?: Change };

export function skipped(reason: StepSkipReason, message: string, change?: Change | null): StepResult {
  return change ? { status: 'skipped', reason, message, change } : { status: 'skipped', reason, message };
}

export function failed(reason: StepFailReason, message: string, change?: Change | null): StepResult {
  return change ? { status: 'failed', reason, message, change } : { status: 'failed', reason, message };
}
