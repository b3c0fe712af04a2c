// The Prometheus connection flags shared by every command that reads Prometheus: the URL, its
// credentials (bearer token file, or basic auth with a password file; never in the URL or on the
// command line), extra headers such as a tenant's X-Scope-OrgID (--prometheus-header / PROMETHEUS_HEADERS,
// src/prometheus/client-options.ts), and the per-request timeout in SafeDeploy's one duration grammar.
import type { Command } from 'commander';
import { prometheusUrlDefault } from '../config/env';
import { FileLimitError, KIB, readBoundedFile } from '../files/bounded-read';
import { parsePrometheusUrl, type PrometheusClientOptions } from '../prometheus/client';
import { collectHeader, PROMETHEUS_HEADER_FLAG, PROMETHEUS_HEADER_HELP } from '../prometheus/client-options';
import { PrometheusConfigError } from '../prometheus/errors';
import { durationProblem, durationSeconds } from '../slo/windows';
import { CliError } from './errors';
import { prometheusHeadersOrExit } from './prometheus-headers';
import { errorCode } from '../errors';

export interface PrometheusFlags {
  prometheus: string;
  prometheusBearerTokenFile?: string;
  prometheusBasicAuthUser?: string;
  prometheusBasicAuthPasswordFile?: string;
  prometheusHeader?: string[];
}

/** A token or password file is a line of text; anything larger is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 64 * KIB;

export function addPrometheusOptions(command: Command): Command {
  const optional = (name: string) => process.env[name] || undefined;
  return command
    .option('--prometheus <url>', 'Prometheus base URL (env PROMETHEUS_URL)', prometheusUrlDefault())
    .option(
      '--prometheus-bearer-token-file <file>',
      'file holding a bearer token for Prometheus (env PROMETHEUS_BEARER_TOKEN_FILE)',
      optional('PROMETHEUS_BEARER_TOKEN_FILE'),
    )
    .option(
      '--prometheus-basic-auth-user <user>',
      'basic auth user for Prometheus (env PROMETHEUS_BASIC_AUTH_USER)',
      optional('PROMETHEUS_BASIC_AUTH_USER'),
    )
    .option(
      '--prometheus-basic-auth-password-file <file>',
      'file holding the basic auth password (env PROMETHEUS_BASIC_AUTH_PASSWORD_FILE)',
      optional('PROMETHEUS_BASIC_AUTH_PASSWORD_FILE'),
    )
    .option(PROMETHEUS_HEADER_FLAG, PROMETHEUS_HEADER_HELP, collectHeader, []);
}

/**
 * The client options for the flags, or a usage error (exit 2) naming the flag: a URL that is not
 * http(s), credentials given twice, an unreadable or oversized secret file. Nothing is printed
 * with a credential in it.
 */
export async function prometheusClientOptions(
  flags: PrometheusFlags,
): Promise<Pick<PrometheusClientOptions, 'url' | 'headers'>> {
  const extra = prometheusHeadersOrExit(flags.prometheusHeader);
  const connection = await prometheusConnection(flags);
  return { url: connection.url, headers: { ...extra, ...connection.headers } };
}

async function prometheusConnection(
  flags: PrometheusFlags,
): Promise<Pick<PrometheusClientOptions, 'url' | 'headers'>> {
  let target: ReturnType<typeof parsePrometheusUrl>;
  try {
    target = parsePrometheusUrl(flags.prometheus);
  } catch (err) {
    if (err instanceof PrometheusConfigError) throw new CliError(`--prometheus: ${err.message}`);
    throw err;
  }
  const inUrl = target.headers.authorization !== undefined;
  const bearer = flags.prometheusBearerTokenFile;
  const user = flags.prometheusBasicAuthUser;
  const passwordFile = flags.prometheusBasicAuthPasswordFile;
  const given = [inUrl, bearer !== undefined, user !== undefined || passwordFile !== undefined];
  if (given.filter(Boolean).length > 1) {
    throw new CliError(
      'Prometheus credentials given more than once: use one of --prometheus-bearer-token-file, basic auth flags, or user info in --prometheus',
    );
  }
  if (bearer !== undefined) {
    const token = await readSecret(bearer, '--prometheus-bearer-token-file');
    return { url: target.endpoint, headers: { authorization: `Bearer ${token}` } };
  }
  if (user !== undefined || passwordFile !== undefined) {
    if (user === undefined || passwordFile === undefined || user === '' || user.includes(':'))
      throw new CliError(
        'basic auth for Prometheus needs --prometheus-basic-auth-user (without ":") and --prometheus-basic-auth-password-file',
      );
    const password = await readSecret(passwordFile, '--prometheus-basic-auth-password-file');
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    return { url: target.endpoint, headers: { authorization: `Basic ${basic}` } };
  }
  return { url: target.endpoint, headers: target.headers };
}

/** A secret from a file: regular, small, one line (surrounding whitespace dropped), not empty. */
export async function readSecret(file: string, flag: string): Promise<string> {
  let text: string;
  try {
    text = await readBoundedFile(file, { maxBytes: MAX_SECRET_FILE_BYTES, what: `${flag} ${file}` });
  } catch (err) {
    if (err instanceof FileLimitError) throw new CliError(err.message);
    throw new CliError(`cannot read ${flag} ${file}: ${errorCode(err)}`);
  }
  const secret = text.trim();
  if (secret === '') throw new CliError(`${flag} ${file} is empty`);
  if (/[\r\n\0]/.test(secret)) throw new CliError(`${flag} ${file} must hold one line`);
  return secret;
}

/** `--timeout` and its kin, everywhere: a duration such as 500ms, 3s or 1m. */
export function timeoutMs(flag: string, value: string): number {
  const problem = durationProblem(value, { subSecond: true, maxSeconds: 3600 });
  if (problem !== null) throw new CliError(`invalid ${flag} "${value}": ${problem} (e.g. 500ms, 3s, 1m)`);
  return durationSeconds(value) * 1000;
}
