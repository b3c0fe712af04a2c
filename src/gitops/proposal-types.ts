// The proposals SafeDeploy can open on the environment repository (inert until approved: docs/ARCHITECTURE.md invariant 3).

export const PROPOSAL_TYPES = ['rollback-rollout', 'block-promotion', 'promote-canary'] as const;
export type ProposalType = (typeof PROPOSAL_TYPES)[number];

export function isProposalType(value: string): value is ProposalType {
  return (PROPOSAL_TYPES as readonly string[]).includes(value);
}
