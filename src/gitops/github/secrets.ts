// Everything that must never leave the provider in a log line, an error or a pull request: the configured
// credentials and the installation tokens GitHub issues for an App.
import type { GitHubAuth } from './options';
import { redact } from '../../evidence/redact';

/** A PEM body line this long is key material on its own (a log may show the key one line at a time). */
const MIN_KEY_LINE = 16;

export class Secrets {
  private readonly values = new Set<string>();

  constructor(auth: GitHubAuth) {
    if (auth.kind === 'token') this.add(auth.token);
    else for (const form of privateKeyForms(auth.privateKey)) this.add(form);
  }

  add(secret: string): void {
    if (secret.trim() !== '') this.values.add(secret);
  }

  /** Known values first, then the shared redactor's credential patterns (tokens, PEM blocks, headers). */
  scrub(text: string): string {
    return redact(text, [...this.values]);
  }
}

/** The key as given, with escaped newlines (as in an env file), as one line, and each of its lines. */
function privateKeyForms(privateKey: string): string[] {
  const lines = privateKey
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'));
  return [
    privateKey,
    privateKey.trim(),
    privateKey.replace(/\r?\n/g, '\\n'),
    lines.join(''),
    ...lines.filter((line) => line.length >= MIN_KEY_LINE),
  ];
}
