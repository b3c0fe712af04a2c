// Deterministic branch names: the same incident and proposal type always map to the same branch,
// which is what makes opening a change idempotent (docs/ARCHITECTURE.md invariant 5).
import { createHash } from 'node:crypto';
import { GitOpsInputError } from './provider';
import { isProposalType, type ProposalType } from './proposal-types';

const BRANCH_PREFIX = 'safedeploy';
const MAX_ID_LENGTH = 80;

/** `safedeploy/<incident-id>/<proposal-type>`, with the incident id made safe for a git ref. */
export function changeBranch(incidentId: string, proposalType: ProposalType): string {
  if (!isProposalType(proposalType)) {
    throw new GitOpsInputError(
      `unknown proposal type "${String(proposalType)}" for incident "${incidentId}"`,
    );
  }
  if (incidentId.trim() === '')
    throw new GitOpsInputError('incident id is empty: cannot name a change branch');
  return `${BRANCH_PREFIX}/${refComponent(incidentId)}/${proposalType}`;
}

/**
 * One ref component from free text. Characters git forbids (and a few it merely tolerates) become
 * "-"; when anything had to change, a short hash of the original keeps distinct ids on distinct
 * branches ("inc:1" and "inc?1" must not share one).
 */
export function refComponent(text: string): string {
  let safe = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  if (safe.endsWith('.lock')) safe = `${safe.slice(0, -'.lock'.length)}-lock`;
  safe = safe.slice(0, MAX_ID_LENGTH).replace(/[.-]+$/, '');
  if (safe === text) return safe;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return safe === '' ? digest : `${safe}-${digest}`;
}

/** git check-ref-format --branch (stricter on "@"), without spawning git. */
export function isValidBranchName(name: string): boolean {
  if (name === '' || name === '@' || name === 'HEAD' || name.startsWith('-')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|\/\/|@\{/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}
