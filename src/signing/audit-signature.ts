// `audit verify` checks signed decisions again, independently of the worker that accepted them: the
// line's signature must be a valid SSHSIG (namespace safedeploy) over the statement the line keeps,
// by the key whose fingerprint the line names, and the statement must say what the line says.
// Who may sign is not re-checked here: allowed_signers may have changed since; the worker checked it.
import { fingerprint } from './keys';
import { NAMESPACE, parseArmored, signatureProblem } from './sshsig';
import { statementText, type ActionStatement } from './statement';

interface SignedLine {
  by?: unknown;
  reason?: unknown;
  signature?: { fingerprint?: unknown; statement?: unknown; armored?: unknown };
}

/** Why a line's signature does not hold, or null (also for lines without a signature). */
export function signedLineProblem(line: Record<string, unknown>): string | null {
  const { signature, by, reason } = line as SignedLine;
  if (signature === undefined) return null;
  const statement = signature.statement as ActionStatement | undefined;
  if (typeof signature.armored !== 'string' || typeof statement !== 'object' || statement === null)
    return 'signed decision without its signature or statement';
  if (statement.by !== by || statement.reason !== reason)
    return `the signed statement (by ${JSON.stringify(statement.by)}) does not match the line (by ${JSON.stringify(by)})`;
  let sig;
  try {
    sig = parseArmored(signature.armored);
  } catch (err) {
    return `bad signature: ${(err as Error).message}`;
  }
  const fp = fingerprint(sig.publicKey.blob);
  if (fp !== signature.fingerprint)
    return `signed by ${fp}, but the line names ${String(signature.fingerprint)}`;
  let text: string;
  try {
    text = statementText(statement);
  } catch {
    return 'the signed statement is malformed';
  }
  const problem = signatureProblem(sig, Buffer.from(text, 'utf8'), NAMESPACE);
  return problem ? `the signature does not verify: ${problem}` : null;
}
