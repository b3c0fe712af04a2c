// Every JSON body the API sends passes through here: messages from dependencies can carry a URL
// with credentials or a token, and none may reach a client.
import { redactor } from '../evidence/redact';

/** A scrubber for response bodies, with the secrets prepared once per server. */
export function payloadRedactor(secrets: readonly string[]): (value: unknown) => unknown {
  const text = redactor(secrets);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return value;
  };
  return walk;
}

export function redactPayload(value: unknown, secrets: readonly string[]): unknown {
  return payloadRedactor(secrets)(value);
}
