// A git remote URL split into what may be shown (no credentials), what must be scrubbed from any
// text, and a stable cache key (the same remote with a rotated token keeps its cache).
import { createHash } from 'node:crypto';
import { redact } from '../../evidence/redact';

export interface RemoteUrl {
  /** The URL git is given, credentials included. Never log or persist it. */
  url: string;
  /** The URL without credentials: safe in messages, change URLs and cache keys. */
  display: string;
  /** Credential values to redact from anything derived from git output. */
  secrets: string[];
  /** Hex digest of `display`; names the cache mirror. */
  cacheKey: string;
  /** GIT_ALLOW_PROTOCOL for commands that talk to the remote (git enforces it on redirects too). */
  allowProtocol?: string;
}

const HTTP_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ftps:']);

export function parseRemoteUrl(url: string): RemoteUrl {
  const { display, secrets } = stripCredentials(url);
  const cacheKey = createHash('sha256').update(display).digest('hex').slice(0, 24);
  return { url, display, secrets, cacheKey };
}

function stripCredentials(url: string): { display: string; secrets: string[] } {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { display: url, secrets: [] }; // scp-like or a path
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { display: redact(url), secrets: [] };
  }
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  // A token is often passed as the user name (https://TOKEN@host); an ssh user name is not secret.
  const userIsSecret = HTTP_SCHEMES.has(parsed.protocol) && password === '';
  const secrets = [password, userIsSecret ? username : ''].filter((s) => s !== '');
  if (userIsSecret || HTTP_SCHEMES.has(parsed.protocol)) parsed.username = '';
  parsed.password = '';
  return { display: parsed.toString(), secrets };
}
