import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { changeBranch, isValidBranchName, refComponent } from '../../../src/gitops/branch';
import { GitOpsInputError } from '../../../src/gitops/provider';
import type { ProposalType } from '../../../src/gitops/proposal-types';

/** git itself is the oracle for what a valid branch name is. */
function gitAccepts(name: string): boolean {
  try {
    // Outside any repository, so git does not expand @{-1} and friends against a checkout.
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore', cwd: tmpdir() });
    return true;
  } catch {
    return false;
  }
}

describe('changeBranch', () => {
  it.each([
    [
      'a plain incident id is kept as is',
      'checkout-20260101-abc',
      'safedeploy/checkout-20260101-abc/rollback-rollout',
    ],
    ['spaces and colons become dashes with a hash suffix', 'inc 1:2', 'safedeploy/inc-1-2-'],
    ['a slash in the id does not add a path level', 'a/b', 'safedeploy/a-b-'],
    ['double dots are collapsed', 'a..b', 'safedeploy/a.b-'],
    ['a trailing .lock is defused', 'x.lock', 'safedeploy/x-lock-'],
    ['an id made only of forbidden characters becomes its hash', '~~~', 'safedeploy/'],
  ])('%s', (_case, incidentId, prefix) => {
    const branch = changeBranch(incidentId, 'rollback-rollout');
    expect(branch.startsWith(prefix)).toBe(true);
    expect(branch.endsWith('/rollback-rollout')).toBe(true);
    expect(branch.split('/')).toHaveLength(3);
    expect(gitAccepts(branch)).toBe(true);
  });

  it('is deterministic and keeps distinct ids apart', () => {
    expect(changeBranch('inc:1', 'block-promotion')).toBe(changeBranch('inc:1', 'block-promotion'));
    expect(changeBranch('inc:1', 'block-promotion')).not.toBe(changeBranch('inc?1', 'block-promotion'));
  });

  it('rejects an empty incident id', () => {
    expect(() => changeBranch(' ', 'rollback-rollout')).toThrow(GitOpsInputError);
  });

  it('rejects an unknown proposal type', () => {
    expect(() => changeBranch('inc', 'delete-cluster' as ProposalType)).toThrow(GitOpsInputError);
  });

  it('always yields a name git accepts, for arbitrary incident ids', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 120, unit: 'binary' }).filter((s) => s.trim() !== ''),
        (incidentId) => {
          const branch = changeBranch(incidentId, 'promote-canary');
          return gitAccepts(branch) && refComponent(incidentId).length <= 89;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('isValidBranchName agrees with git check-ref-format --branch', () => {
  it.each([
    'safedeploy/inc/rollback-rollout',
    'feature/x',
    'a..b',
    'a//b',
    '/a',
    'a/',
    'a.',
    '.a',
    'a/.b',
    'a.lock',
    'a/b.lock/c',
    'a@{b',
    'a b',
    'a~b',
    'a^b',
    'a:b',
    'a?b',
    'a*b',
    'a[b',
    'a\\b',
    '-a',
    'a\tb',
    'ünïcode',
  ])('%j', (name) => {
    expect(isValidBranchName(name)).toBe(gitAccepts(name));
  });

  it('rejects the lone "@" that git reads as HEAD', () => {
    expect(isValidBranchName('@')).toBe(false);
  });

  it('for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20, unit: 'grapheme-ascii' }).filter((s) => s !== '@'),
        (name) => {
          return isValidBranchName(name) === gitAccepts(name);
        },
      ),
      { numRuns: 200 },
    );
  });
});
