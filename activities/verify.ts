// Verifies a signed human action on the worker: the workflow sandbox has no node:crypto, so the
// workflow rebuilds the statement and asks this activity whether the signature holds. Thin: the
// allowed signers are the worker's file (SAFEDEPLOY_ALLOWED_SIGNERS) plus the service's own lines
// from the catalog (governance.approvals.allowedSigners); the checks are src/signing's.
import { loadCatalog } from '../src/catalog/loader';
import type { ActionProof } from '../src/incident/proposals';
import { parseAllowedSigners, type AllowedSigner } from '../src/signing/allowed-signers';
import { statementText, statementTimeProblem, type ActionStatement } from '../src/signing/statement';
import { loadAllowedSigners, verifySignedStatement } from '../src/signing/verify';
import type { ActivityDeps } from './index';

export interface VerifyActionInput {
  statement: ActionStatement;
  /** Armored SSHSIG, as the actor sent it. */
  signature: string;
  /** When the workflow received the action: the statement's time must lie within the window of it. */
  receivedAt: string;
}

export type VerifyActionResult =
  { ok: true; proof: Extract<ActionProof, { signed: true }> } | { ok: false; refusal: string };

export function createVerifyActivities({ catalogDir, allowedSignersFile }: ActivityDeps) {
  /** The worker's signers and the service's; a catalog that cannot be read adds none (fails closed). */
  const signersFor = async (service: string): Promise<AllowedSigner[]> => {
    const global = allowedSignersFile ? await loadAllowedSigners(allowedSignersFile) : [];
    const catalog = await loadCatalog(catalogDir).catch(() => undefined);
    const lines = catalog?.services.find((s) => s.name === service)?.governance.approvals?.allowedSigners;
    return lines ? [...global, ...parseAllowedSigners(lines, `catalog ${service} allowedSigners`)] : global;
  };

  return {
    async verifyHumanAction({
      statement,
      signature,
      receivedAt,
    }: VerifyActionInput): Promise<VerifyActionResult> {
      const late = statementTimeProblem(statement.at, receivedAt);
      if (late) return { ok: false, refusal: late };
      let signers: AllowedSigner[];
      try {
        signers = await signersFor(statement.service);
      } catch (err) {
        // A broken allowed_signers file must refuse, not wait on retries with the actor's CLI hanging.
        return { ok: false, refusal: `the worker cannot use its allowed signers: ${(err as Error).message}` };
      }
      if (signers.length === 0)
        return {
          ok: false,
          refusal: `no allowed signers are configured for ${statement.service} (worker SAFEDEPLOY_ALLOWED_SIGNERS or the catalog's governance.approvals.allowedSigners)`,
        };
      const verdict = verifySignedStatement(
        statementText(statement),
        signature,
        signers,
        statement.by,
        statement.at,
      );
      if (!verdict.ok) return verdict;
      return { ok: true, proof: { signed: true, ...verdict.proof } };
    },
  };
}
