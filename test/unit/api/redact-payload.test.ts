import { redactPayload } from '../../../src/api/redact-payload';

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
