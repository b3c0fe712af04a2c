// The canonical statement a person signs for a human action. Pure and free of Node built-ins: the
// workflows rebuild it from the action they received, so a signature only holds for exactly the
// action, subject, service, actor, reason, request id and time it was made for.

export const HUMAN_ACTIONS = [
  'acknowledge',
  'approve',
  'reject',
  'mitigate',
  'resolve',
  'postmortem',
  'lift-freeze',
] as const;
export type HumanAction = (typeof HUMAN_ACTIONS)[number];

export interface ActionStatement {
  action: HumanAction;
  /** What is acted on: a proposal id, an incident id, or freeze-<service>. */
  subject: string;
  service: string;
  by: string;
  reason: string;
  requestId: string;
  /** When it was signed (ISO 8601, UTC): bounds how long the statement can be presented. */
  at: string;
  /** Action-specific content that must be signed too (the postmortem's link and action items). */
  detail?: string;
}

/** How far a statement's time may lie from when the worker receives it, either way. */
export const STATEMENT_WINDOW_MS = 10 * 60_000;

export const STATEMENT_HEADER = 'safedeploy-action/v1';

/** One field a line; free text JSON-quoted so a newline in a reason cannot forge another field. */
export function statementText(s: ActionStatement): string {
  const lines = [
    STATEMENT_HEADER,
    `action: ${s.action}`,
    `subject: ${JSON.stringify(s.subject)}`,
    `service: ${JSON.stringify(s.service)}`,
    `by: ${JSON.stringify(s.by)}`,
    `reason: ${JSON.stringify(s.reason)}`,
    `request-id: ${JSON.stringify(s.requestId)}`,
    `at: ${s.at}`,
    ...(s.detail !== undefined ? [`detail: ${JSON.stringify(s.detail)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** Why the statement's time is unusable at `receivedAt`, or null. */
export function statementTimeProblem(at: string, receivedAt: string): string | null {
  const t = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(at) || Number.isNaN(t))
    return `the statement time "${at}" is not an ISO 8601 UTC time`;
  const skew = Date.parse(receivedAt) - t;
  if (Math.abs(skew) > STATEMENT_WINDOW_MS)
    return `the statement was signed at ${at}, more than ${STATEMENT_WINDOW_MS / 60_000} minutes from ${receivedAt} (replayed or clock skew)`;
  return null;
}
