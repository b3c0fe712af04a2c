// Checks a signed human action: the SSHSIG signature over the canonical statement, in SafeDeploy's
// namespace, by a key that allowed_signers lets sign as the actor at the statement's time.
import { readFile } from 'node:fs/promises';
import { parseAllowedSigners, principalsOf, signerProblem, type AllowedSigner } from './allowed-signers';
import { fingerprint } from './keys';
import { NAMESPACE, parseArmored, signatureProblem } from './sshsig';
import { errorCode, errorMessage } from '../errors';

export interface SignatureProof {
  /** SHA256:…, as ssh-keygen prints it. */
  fingerprint: string;
  keyType: string;
  /** Every principal the key is listed under in allowed_signers (to compare with a release's author). */
  principals: string[];
}

export type SignatureVerdict = { ok: true; proof: SignatureProof } | { ok: false; refusal: string };

export function verifySignedStatement(
  statement: string,
  armored: string,
  signers: readonly AllowedSigner[],
  principal: string,
  at: string,
): SignatureVerdict {
  let sig;
  try {
    sig = parseArmored(armored);
  } catch (err) {
    return { ok: false, refusal: `bad signature: ${errorMessage(err)}` };
  }
  const fp = fingerprint(sig.publicKey.blob);
  const problem =
    signatureProblem(sig, Buffer.from(statement, 'utf8'), NAMESPACE) ??
    signerProblem(signers, sig.publicKey, principal, NAMESPACE, at);
  if (problem) return { ok: false, refusal: `${problem} (key ${fp})` };
  return {
    ok: true,
    proof: { fingerprint: fp, keyType: sig.publicKey.type, principals: principalsOf(signers, sig.publicKey) },
  };
}

export async function loadAllowedSigners(file: string): Promise<AllowedSigner[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read allowed signers ${file}: ${errorCode(err)}`);
  }
  return parseAllowedSigners(text, file);
}
