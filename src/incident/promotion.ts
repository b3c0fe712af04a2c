// When a resolved incident may propose resuming the canary SafeDeploy paused. The gate must allow,
// or hold only because a burn is not yet confirmed: short windows (30m, say) stay hot for a while
// after a cool-down of normal SLOs, and the incident stops observing once it resolves, so waiting for
// allow would mean never proposing. Proposing is safe: a human approves it, and the resumed canary's
// own analysis asks the gate again before it proceeds.
import type { ServiceObservation } from '../evaluation/observation';

export function promotionMayBeProposed(latest: ServiceObservation | undefined): boolean {
  if (!latest) return false;
  if (latest.verdict === 'allow') return true;
  const reasons = latest.detail?.reasons ?? [];
  return (
    latest.verdict === 'hold' && reasons.length > 0 && reasons.every((r) => r.code === 'burning-unconfirmed')
  );
}
