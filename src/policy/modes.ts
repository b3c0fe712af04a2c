// Enforcement modes: how the verdict the policy decided (what enforce would answer) becomes the
// answer the pipeline gets. Pure, and applied last, so every mode explains itself with the same
// reasons: shadow answers allow, advise turns a deny into a hold (Argo Rollouts pauses and a human
// decides), enforce answers as decided.
import type { EnforcementMode } from '../catalog/model';
import type { Verdict } from './gate';

export function applyMode(mode: EnforcementMode, wouldBe: Verdict): Verdict {
  switch (mode) {
    case 'shadow':
      return 'allow';
    case 'advise':
      return wouldBe === 'deny' ? 'hold' : wouldBe;
    case 'enforce':
      return wouldBe;
  }
}
