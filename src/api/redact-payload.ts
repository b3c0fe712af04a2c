// Every JSON body the API sends passes through here: messages from dependencies can carry a URL
// with credentials or a token, and none may reach a client.
import { redact } from '../evidence/redact';

export function redactPayload(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactPayload(v, secrets));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactPayload(v, secrets)]));
  }
  return value;
}
