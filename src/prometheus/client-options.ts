// Extra HTTP headers on every Prometheus request: a tenant for Mimir/Cortex (`X-Scope-OrgID: team-a`),
// a gateway's key. Given as `--prometheus-header 'Name: value'` (repeatable) or PROMETHEUS_HEADERS
// (entries separated by newlines or commas); a flag wins over the variable for the same name. Values
// are credentials as far as SafeDeploy knows: no error names them, and callers add them to the secrets
// that logs and evidence are scrubbed of.

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the client itself; overriding them would break requests. */
const RESERVED = new Set(['content-type', 'content-length', 'host']);

export class PrometheusHeaderError extends Error {}

export function parsePrometheusHeaders(
  flags: readonly string[] = [],
  envValue: string | undefined = process.env.PROMETHEUS_HEADERS,
): Record<string, string> {
  const fromEnv = (envValue ?? '')
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const headers: Record<string, string> = {};
  for (const [entry, where] of [
    ...fromEnv.map((e) => [e, 'PROMETHEUS_HEADERS'] as const),
    ...flags.map((e) => [e, '--prometheus-header'] as const),
  ]) {
    const [name, value] = splitHeader(entry, where);
    for (const existing of Object.keys(headers))
      if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  return headers;
}

function splitHeader(entry: string, where: string): [string, string] {
  const colon = entry.indexOf(':');
  const name = (colon < 0 ? entry : entry.slice(0, colon)).trim();
  if (colon < 0 || !HEADER_NAME.test(name))
    throw new PrometheusHeaderError(`${where}: expected "Name: value" (e.g. "X-Scope-OrgID: team-a")`);
  if (name.toLowerCase() === 'authorization')
    throw new PrometheusHeaderError(
      `${where}: credentials go in --prometheus-bearer-token-file or the basic auth flags, not a header`,
    );
  if (RESERVED.has(name.toLowerCase()))
    throw new PrometheusHeaderError(`${where}: header ${name} is set by SafeDeploy and cannot be overridden`);
  const value = entry.slice(colon + 1).trim();
  if (value === '' || /[\r\n\0]/.test(value))
    throw new PrometheusHeaderError(`${where}: header ${name} needs a value on one line`);
  return [name, value];
}

/** Commander collector for a repeatable flag. */
export function collectHeader(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const PROMETHEUS_HEADER_FLAG = '--prometheus-header <header>';
export const PROMETHEUS_HEADER_HELP =
  'extra header on every Prometheus request, "Name: value", repeatable (env PROMETHEUS_HEADERS)';
