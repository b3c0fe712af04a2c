// Which git remotes SafeDeploy will talk to. A remote URL comes from the catalog, which many teams
// edit: text git could read as an option (`--upload-pack=<cmd>`), a remote-helper transport that runs
// a command (`ext::sh -c …`) or a scheme nobody meant to allow must be refused before git runs at all.
// The allow-list is configuration (SAFEDEPLOY_GIT_ALLOWED_SCHEMES, e.g. "https,ssh"), read by both the
// catalog validation and the git provider, and handed to git itself as GIT_ALLOW_PROTOCOL.

export const DEFAULT_GIT_SCHEMES: readonly string[] = ['https', 'ssh', 'git', 'file'];
export const GIT_SCHEMES_VARIABLE = 'SAFEDEPLOY_GIT_ALLOWED_SCHEMES';
/** Schemes git knows; anything else in the allow-list is a configuration typo. */
const KNOWN_SCHEMES = new Set(['https', 'http', 'ssh', 'git', 'file']);

/** The configured allow-list; throws on an unknown scheme so a typo cannot silently allow nothing. */
export function allowedGitSchemes(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const text = env[GIT_SCHEMES_VARIABLE]?.trim();
  if (!text) return DEFAULT_GIT_SCHEMES;
  const schemes = text.split(',').map((s) => s.trim().toLowerCase());
  const unknown = schemes.filter((s) => !KNOWN_SCHEMES.has(s));
  if (unknown.length > 0 || schemes.length === 0) {
    throw new Error(
      `${GIT_SCHEMES_VARIABLE}="${text}": unknown scheme ${unknown.map((s) => JSON.stringify(s)).join(', ')}; allowed: ${[...KNOWN_SCHEMES].join(', ')}`,
    );
  }
  return schemes;
}

/** The value git wants in GIT_ALLOW_PROTOCOL (colon-separated). */
export function gitAllowProtocol(schemes: readonly string[]): string {
  return schemes.join(':');
}

const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const HELPER_TRANSPORT = /^[A-Za-z][A-Za-z0-9+.-]*::/;
/** user@host:path or host:path (git's scp-like ssh syntax): no slash before the first colon. */
const SCP_LIKE = /^(?:[^@/:]+@)?([^/:]+):/;

/** Why git must not be given `url` as a remote, or null when it may. */
export function remoteUrlProblem(
  url: string,
  schemes: readonly string[] = allowedGitSchemes(),
): string | null {
  if (url.trim() === '') return 'is empty';
  if (url.startsWith('-')) return 'must not start with "-" (git would read it as an option)';
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(url)) return 'must not contain spaces or control characters';
  if (HELPER_TRANSPORT.test(url))
    return 'must not name a remote helper (<transport>::<address>, e.g. ext::), which can run commands';
  const scheme = schemeOf(url);
  if (scheme === 'relative')
    return 'must be a URL or an absolute path (e.g. https://…, ssh://…, file:///srv/env.git)';
  if (!schemes.includes(scheme))
    return `uses scheme "${scheme}", which is not allowed (allowed: ${schemes.join(', ')}; set ${GIT_SCHEMES_VARIABLE} to change)`;
  const host = SCHEME_URL.test(url) ? hostOf(url) : SCP_LIKE.exec(url)?.[1];
  if (host?.startsWith('-')) return 'has a host starting with "-" (ssh would read it as an option)';
  return null;
}

/** The scheme git would use for `url`: its own, ssh for scp-like, file for an absolute path. */
function schemeOf(url: string): string {
  const explicit = SCHEME_URL.exec(url);
  if (explicit) return explicit[1]!.toLowerCase();
  if (url.startsWith('/')) return 'file';
  if (SCP_LIKE.test(url)) return 'ssh';
  return 'relative';
}

function hostOf(url: string): string | undefined {
  const authority = url.replace(SCHEME_URL, '').split('/')[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}
