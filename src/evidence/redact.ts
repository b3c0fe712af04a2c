// One place that scrubs credentials from anything SafeDeploy writes: pull-request bodies, commit
// messages, evidence, audit lines and error messages. Known secret values are replaced first (the
// caller knows its tokens), then common credential shapes, so a token we were never told about
// still does not leak.

export const REDACTED = '[REDACTED]';

interface RedactionPattern {
  pattern: RegExp;
  replace: string;
}

/** Query parameters that carry credentials; matched case-insensitively as whole parameter names. */
const CREDENTIAL_PARAMS = [
  'access_token',
  'token',
  'auth',
  'key',
  'api_key',
  'apikey',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
];
const CREDENTIAL_QUERY = new RegExp(`([?&](?:${CREDENTIAL_PARAMS.join('|')})=)[^&\\s#"'<>]+`, 'gi');

const PATTERNS: readonly RedactionPattern[] = [
  // PEM private keys; an unterminated block is redacted to the end of the text.
  {
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: REDACTED,
  },
  // GitHub tokens: personal (ghp_), OAuth (gho_), user-to-server (ghu_), server (ghs_), refresh (ghr_).
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, replace: REDACTED },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/g, replace: REDACTED },
  // Authorization header values, as a header line, JSON or YAML field.
  { pattern: /(\bauthorization["']?\s*[:=]\s*["']?)[^"'\r\n]+/gi, replace: `$1${REDACTED}` },
  // Bearer tokens outside an Authorization header (e.g. in curl command lines).
  { pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  // user:password@ in URLs; the whole userinfo goes, since tokens are often passed as the user.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@:]*:[^/\s@]*@/gi, replace: `$1${REDACTED}@` },
  // https://TOKEN@host: in an http(s) URL a lone user name is a credential too (ssh's git@ is not).
  { pattern: /\b(https?:\/\/)[^/\s@:[\]]+@/gi, replace: `$1${REDACTED}@` },
  // Credentials in a URL's query string (?token=…, &access_token=…, ?key=…).
  { pattern: CREDENTIAL_QUERY, replace: `$1${REDACTED}` },
];

/**
 * Text in which none of PATTERNS can match: each needs one of these. Checked first, since most
 * strings (service names, verdicts, reason codes) have none and the API scrubs every string it sends.
 * Keep in step with PATTERNS (test/unit/gitops/redact.test.ts has a case for each).
 */
const MAY_HOLD_CREDENTIAL = /-----BEGIN|gh[pousr]_|github_pat_|authorization|bearer|:\/\/|[?&]/i;

/** Replaces every known secret value and every common token pattern in `text` with [REDACTED]. */
export function redact(text: string, secrets: readonly string[] = []): string {
  return redactor(secrets)(text);
}

/** redact() with the secrets prepared once, for callers that scrub many strings (every API response). */
export function redactor(secrets: readonly string[] = []): (text: string) => string {
  const values = knownValues(secrets);
  return (text) => {
    let result = text;
    for (const secret of values) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    if (!MAY_HOLD_CREDENTIAL.test(result)) return result;
    for (const { pattern, replace } of PATTERNS) result = result.replace(pattern, replace);
    return result;
  };
}

/** Non-empty secrets and their URL-encoded forms, longest first so no fragment of one survives. */
function knownValues(secrets: readonly string[]): string[] {
  const values = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    values.add(secret);
    values.add(encodeURIComponent(secret));
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A URL fit to show: no userinfo, and credential query parameters replaced with [REDACTED]. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redact(url);
  }
  if (parsed.username === '' && parsed.password === '') return redact(url);
  parsed.username = '';
  parsed.password = '';
  return redact(parsed.toString());
}
