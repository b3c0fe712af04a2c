// Catalog problems as data: every issue says where (file, document, line or field path) and why, so the
// CLI can print all of them at once instead of making the operator fix one typo per run.

export interface CatalogIssue {
  /** File relative to the catalog directory; absent for problems with the directory itself. */
  file?: string;
  /** 1-based position of the YAML document in its file. */
  document?: number;
  /** Set for YAML syntax errors, where no field path exists yet. */
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. spec.slos[0].objective. */
  path?: string;
  reason: string;
}

/** One line per issue: `checkout.yaml (document 2): spec.slos[0].objective: must be ...`. */
export function formatIssue(issue: CatalogIssue): string {
  const parts: string[] = [];
  if (issue.file !== undefined) {
    parts.push(issue.document === undefined ? issue.file : `${issue.file} (document ${issue.document})`);
  }
  if (issue.line !== undefined) parts.push(`line ${issue.line}, column ${issue.column ?? 1}`);
  if (issue.path) parts.push(issue.path);
  parts.push(issue.reason);
  return parts.join(': ');
}

/** The catalog cannot be used: it holds every issue found across all files. */
export class CatalogError extends Error {
  readonly issues: readonly CatalogIssue[];

  constructor(issues: readonly CatalogIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'CatalogError';
    this.issues = issues;
  }
}

/** Renders a zod-style path (['spec', 'slos', 0, 'objective']) as `spec.slos[0].objective`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}
