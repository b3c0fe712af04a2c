// Turns zod issues into catalog issues with path-like, operator-facing reasons: "required", "expected
// a number, got string", `unknown field (did you mean "objective"?)`. Schema-specific messages are
// written in schema.ts; this module only phrases zod's generic ones.
import { z } from 'zod';
import { fieldPath, type CatalogIssue } from './errors';

type RawIssue = z.core.$ZodRawIssue;

/** Per-parse error map: zod uses it for issues whose schema did not set its own message. */
export function phraseIssue(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'required'
        : `expected ${article(issue.expected)}, got ${kindOf(issue.input)}`;
    case 'invalid_value': {
      const choice = issue.values.length === 1 ? quote(issue.values[0]) : `one of ${list(issue.values)}`;
      return issue.input === undefined ? `required (${choice})` : `must be ${choice}`;
    }
    case 'invalid_union': {
      // Only discriminated unions (rollback.repo.provider) carry options; others keep zod's message.
      const { options } = issue as { options?: readonly unknown[] };
      if (!options || issue.discriminator === undefined) return undefined;
      const given = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
      return given === undefined ? `required (one of ${list(options)})` : `must be one of ${list(options)}`;
    }
    default:
      return undefined;
  }
}

/** Maps the issues of one document; unknown keys become one issue per key, each with a suggestion. */
export function toCatalogIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  where: { file: string; document: number },
): CatalogIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys')
      return [{ ...where, path: fieldPath(issue.path), reason: issue.message }];
    const allowed = fieldsAt(schema, issue.path);
    return issue.keys.map((key) => ({
      ...where,
      path: fieldPath([...issue.path, key]),
      reason: unknownFieldReason(key, allowed),
    }));
  });
}

export function unknownFieldReason(key: string, allowed: readonly string[]): string {
  const guess = closest(key, allowed);
  if (guess) return `unknown field (did you mean "${guess}"?)`;
  return allowed.length > 0 ? `unknown field (allowed: ${allowed.join(', ')})` : 'unknown field';
}

/** Field names the schema accepts at a path; a union contributes the fields of every option. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const node = unwrap(schema);
  if (node instanceof z.ZodUnion) {
    const options = node.options as readonly z.ZodType[];
    return [...new Set(options.flatMap((option) => fieldsAt(option, path)))];
  }
  const [head, ...rest] = path;
  if (head === undefined) return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
  if (node instanceof z.ZodArray && typeof head === 'number')
    return fieldsAt(node.element as z.ZodType, rest);
  if (node instanceof z.ZodObject && typeof head === 'string') {
    const child = (node.shape as Record<string, z.ZodType | undefined>)[head];
    return child ? fieldsAt(child, rest) : [];
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  return schema;
}

/** A likely intended name: same letters ignoring case and -/_ (base_branch), or within two edits (objectve). */
function closest(key: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const exact = candidates.find((c) => norm(c) === norm(key));
  if (exact) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(norm(key), norm(name));
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value;
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);
const list = (values: readonly unknown[]): string => values.map(quote).join(', ');
