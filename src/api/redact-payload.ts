// Every JSON body the API sends passes through here: messages from dependencies can carry a URL
// with credentials or a token, and none may reach a client.
import { redactor } from '../evidence/redact';

/**
 * A scrubber for response bodies, with the secrets prepared once per server. Copy on write: a body
 * with nothing to scrub (nearly every gate answer) comes back as the same object, unallocated; a
 * changed one is copied along the path to each change, never edited in place (answers share parts of
 * the gate's shared evaluation).
 */
export function payloadRedactor(secrets: readonly string[]): (value: unknown) => unknown {
  const text = redactor(secrets);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object' || value instanceof Date) return value;
    if (Array.isArray(value)) {
      const items = value as unknown[];
      let copy: unknown[] | undefined;
      for (let i = 0; i < items.length; i++) {
        const scrubbed = walk(items[i]);
        if (scrubbed !== items[i]) (copy ??= [...items])[i] = scrubbed;
      }
      return copy ?? value;
    }
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      const scrubbed = walk(record[key]);
      if (scrubbed !== record[key]) (copy ??= { ...record })[key] = scrubbed;
    }
    return copy ?? value;
  };
  return walk;
}
