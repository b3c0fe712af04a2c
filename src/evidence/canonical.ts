/**
 * JSON with object keys sorted at every level: the same record always hashes the same.
 *
 * Written out in one pass: every audit line is hashed over this form (the gate's stream gets a line per
 * answer), and sorting into copied objects before JSON.stringify cost more than the hash. The output is
 * exactly what `JSON.stringify` gives for the same data with every object's keys inserted in sorted
 * order (the form earlier lines were hashed over), including JSON's own rule that array-index keys
 * ("0", "7", "12") come first in numeric order; test/unit/evidence/canonical.test.ts holds the two
 * to each other.
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint': // throws, as JSON.stringify does for a BigInt anywhere
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value)
        ? writeArray(value as unknown[])
        : writeObject(value as Record<string, unknown>);
    default:
      return undefined; // undefined, functions, symbols: left out of objects, null in arrays
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += `${i === 0 ? '' : ','}${write(items[i]) ?? 'null'}`;
  return `${out}]`;
}

function writeObject(record: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const key of sortedKeys(record)) {
    const text = write(record[key]);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Object.keys already lists array-index keys first, ascending, as JSON.stringify writes them whatever
 * the insertion order; only the other keys need sorting.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  let indexKeys = 0;
  while (indexKeys < keys.length && isArrayIndex(keys[indexKeys] as string)) indexKeys++;
  if (indexKeys === 0) return keys.sort();
  return [...keys.slice(0, indexKeys), ...keys.slice(indexKeys).sort()];
}

const MAX_ARRAY_INDEX = 2 ** 32 - 2;

function isArrayIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57) return false; // not a digit
  if (!/^(?:0|[1-9]\d*)$/.test(key)) return false;
  return Number(key) <= MAX_ARRAY_INDEX;
}
