// What a person signs for each human action: the canonical statement (src/signing/statement.ts) with
// a subject that binds it to one incident, proposal or freeze. Pure, so the CLI and the HTTP API
// build it before signing and the workflows rebuild it from what they received: any field changed on
// the way (the name, the reason, the target) makes the signature fail.
import type { ActionStatement, HumanAction } from '../signing/statement';
import type { ActionRequest } from './proposals';

/** What the action is about; the workflow knows these itself, the signer learns them from a query. */
export type ActionTarget =
  | { kind: 'incident'; incidentId: string; service: string }
  /** `proposal` exactly as sent in the signal: a proposal id or a proposal type. */
  | { kind: 'proposal'; incidentId: string; service: string; proposal: string }
  | { kind: 'freeze'; service: string };

/** The postmortem's link and action items are part of what is signed. */
export interface PostmortemDetail {
  url: string;
  actionItems: string[];
}

export function actionSubject(target: ActionTarget): string {
  switch (target.kind) {
    case 'incident':
      return target.incidentId;
    case 'proposal':
      return `${target.incidentId} proposal ${target.proposal}`;
    case 'freeze':
      return `freeze-${target.service}`;
  }
}

export function actionStatement(
  action: HumanAction,
  target: ActionTarget,
  request: Pick<ActionRequest, 'by' | 'reason' | 'requestId'>,
  signedAt: string,
  postmortem?: PostmortemDetail,
): ActionStatement {
  return {
    action,
    subject: actionSubject(target),
    service: target.service,
    by: request.by,
    reason: request.reason,
    requestId: request.requestId,
    at: signedAt,
    ...(postmortem
      ? { detail: JSON.stringify({ url: postmortem.url, actionItems: postmortem.actionItems }) }
      : {}),
  };
}
