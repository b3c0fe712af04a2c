// Small printing helpers shared by commands: results go to stdout (JSON for --json, text otherwise),
// diagnostics to stderr through CliError. Tables live in ./table (renderTable).

/** Pretty JSON with a trailing newline, the shape every `--json` flag prints. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function printJson(value: unknown): void {
  process.stdout.write(formatJson(value));
}

/** Writes text to stdout, ending it with exactly one newline. */
export function printText(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `1 service`, `3 services`, `0 SLOs`; pass the plural when it is not the noun plus "s". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** Indents every line, for multi-line details under a one-line summary. */
export function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}
