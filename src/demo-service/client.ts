// Talking to a running demo service: set its faults (what `safedeploy demo` does to cause an incident).
import type { Faults } from './faults';

export async function setDemoFaults(serviceUrl: string, faults: Partial<Faults>): Promise<Faults> {
  const url = `${serviceUrl.replace(/\/+$/, '')}/admin/faults`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as Faults | { error: string };
  if (!response.ok || 'error' in body) {
    throw new Error(`POST ${url} answered ${response.status}: ${'error' in body ? body.error : ''}`);
  }
  return body;
}
