// The allowed_signers file, in the format git and `ssh-keygen -Y verify` use (ssh-keygen(1), "ALLOWED
// SIGNERS"): one key per line, preceded by the principals (names, with * and ? patterns) it may sign
// as, and options limiting the namespaces and the time it is valid. Certificate authorities are
// ignored: SafeDeploy verifies plain keys.
import { isKeyType, parsePublicKeyLine, type SshPublicKey } from './keys';
import { errorMessage } from '../errors';

export interface AllowedSigner {
  principals: string[];
  key: SshPublicKey;
  namespaces?: string[];
  validAfter?: string;
  validBefore?: string;
  /** 1-based, for messages. */
  line: number;
}

export class AllowedSignersError extends Error {
  override name = 'AllowedSignersError';
}

export function parseAllowedSigners(text: string, source = 'allowed_signers'): AllowedSigner[] {
  const signers: AllowedSigner[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const signer = parseLine(line, i + 1);
      if (signer) signers.push(signer);
    } catch (err) {
      throw new AllowedSignersError(`${source}:${i + 1}: ${errorMessage(err)}`);
    }
  });
  return signers;
}

function parseLine(line: string, number: number): AllowedSigner | null {
  const tokens = tokenize(line);
  const principals = tokens.shift();
  if (!principals) throw new Error('missing principals');
  let options: Record<string, string> = {};
  if (tokens[0] !== undefined && !isKeyType(tokens[0])) options = parseOptions(tokens.shift()!);
  if ('cert-authority' in options) return null;
  const [type, data] = tokens;
  if (!type || !data) throw new Error('expected "<principals> [options] <key type> <base64 key>"');
  return {
    principals: principals.split(',').filter((p) => p !== ''),
    key: parsePublicKeyLine(`${type} ${data}`),
    ...(options.namespaces !== undefined ? { namespaces: options.namespaces.split(',') } : {}),
    ...(options['valid-after'] !== undefined ? { validAfter: timestamp(options['valid-after']) } : {}),
    ...(options['valid-before'] !== undefined ? { validBefore: timestamp(options['valid-before']) } : {}),
    line: number,
  };
}

/** Splits on whitespace outside double quotes; quotes are removed. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  if (current !== '') tokens.push(current);
  return tokens;
}

function parseOptions(field: string): Record<string, string> {
  const out: Record<string, string> = {};
  // namespaces="a,b" lost its quotes in tokenize: a name=value option swallows the items without "=".
  let last = '';
  for (const part of field.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      last = part.slice(0, eq).toLowerCase();
      out[last] = part.slice(eq + 1);
    } else if (last === 'namespaces') out[last] += `,${part}`;
    else out[part.toLowerCase()] = '';
  }
  return out;
}

/** YYYYMMDD[HHMM[SS]][Z] as an ISO instant; without Z ssh-keygen reads local time, SafeDeploy UTC. */
function timestamp(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?Z?$/.exec(value);
  if (!m) throw new Error(`bad time "${value}": expected YYYYMMDD[HHMM[SS]][Z]`);
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

/** Shell-style glob: * and ? (ssh's match_pattern), anchored at both ends. */
function matches(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

function principalAllowed(patterns: string[], name: string): boolean {
  let allowed = false;
  for (const p of patterns) {
    if (p.startsWith('!') && matches(p.slice(1), name)) return false;
    if (!p.startsWith('!') && matches(p, name)) allowed = true;
  }
  return allowed;
}

/** Why `key` may not sign as `principal` in `namespace` at `at`, or null when it may. */
export function signerProblem(
  signers: readonly AllowedSigner[],
  key: SshPublicKey,
  principal: string,
  namespace: string,
  at: string,
): string | null {
  const lines = signers.filter((s) => s.key.blob.equals(key.blob));
  if (lines.length === 0) return 'the signing key is not in allowed_signers';
  const usable = lines.filter(
    (s) =>
      principalAllowed(s.principals, principal) &&
      (!s.namespaces || s.namespaces.some((n) => matches(n, namespace))),
  );
  if (usable.length === 0) return `the signing key is not allowed to sign as ${principal}`;
  const valid = usable.some(
    (s) => (!s.validAfter || at >= s.validAfter) && (!s.validBefore || at < s.validBefore),
  );
  return valid ? null : `the signing key is not valid at ${at} (allowed_signers valid-after/valid-before)`;
}

/** Every principal pattern the key is listed under: to match it against a release's author. */
export function principalsOf(signers: readonly AllowedSigner[], key: SshPublicKey): string[] {
  return signers.filter((s) => s.key.blob.equals(key.blob)).flatMap((s) => s.principals);
}
