import { payloadRedactor } from '../../../src/api/redact-payload';

const redactPayload = (body: unknown, secrets: string[]) => payloadRedactor(secrets)(body);

describe('redacting a response body', () => {
  it('scrubs known secrets and credential shapes from nested strings, and leaves the rest alone', () => {
    const body = {
      verdict: 'deny',
      reasons: [
        {
          code: 'prometheus-unavailable',
          message: 'Prometheus at https://reader:hunter2@prom.example is unavailable',
        },
      ],
      detail: { note: 'token s3cr3t-api-token-value was sent', count: 3, ok: true, none: null },
    };
    expect(redactPayload(body, ['s3cr3t-api-token-value'])).toEqual({
      verdict: 'deny',
      reasons: [
        {
          code: 'prometheus-unavailable',
          message: 'Prometheus at https://[REDACTED]@prom.example is unavailable',
        },
      ],
      detail: { note: 'token [REDACTED] was sent', count: 3, ok: true, none: null },
    });
  });
});

describe('redacting a response body without copying it', () => {
  it('returns the same object when nothing needs scrubbing, and never edits a shared one', () => {
    const shared = { message: 'token s3cr3t-api-token-value was sent', n: 1 };
    const clean = { verdict: 'allow', slos: [{ name: 'availability', burnRates: { '5m': 0.1 } }], at: null };
    const body = { clean, shared: [shared] };
    expect(redactPayload(clean, ['s3cr3t-api-token-value'])).toBe(clean);
    const scrubbed = redactPayload(body, ['s3cr3t-api-token-value']) as typeof body;
    expect(scrubbed.shared[0]).toEqual({ message: 'token [REDACTED] was sent', n: 1 });
    expect(scrubbed.clean).toBe(clean);
    expect(shared.message).toBe('token s3cr3t-api-token-value was sent');
  });
});
