// The message `safedeploy notify test` sends: marked as a test in every channel (the Slack header,
// the webhook body's `test: true`, a PagerDuty change event that pages nobody).
import { randomUUID } from 'node:crypto';
import type { NotificationEvent } from './events';

export function testNotification(service: string, now: Date): NotificationEvent {
  return {
    id: `test-${randomUUID()}`,
    kind: 'test',
    occurredAt: now.toISOString(),
    service,
    summary: `Test message from SafeDeploy (safedeploy notify test) for ${service}: no action needed.`,
    workflowId: 'safedeploy-notify-test',
  };
}
