// The one path by which a human acts on an incident, a proposal or a freeze. It owns the request id
// (one outcome per id: a replayed id is ignored), who may act (the service's approvers), the reason,
// the proof (the actor's SSH signature over the canonical statement, checked on the worker by the
// verifyHumanAction activity), the quorum of distinct approvers, and the record of every decision:
// timeline, audit and evidence, accepted or refused. The incident, postmortem and freeze workflows
// give it an ActionBook and the state change to make; a refused action changes nothing but the record.
import { ActivityFailure, patched, setHandler, type SignalDefinition } from '@temporalio/workflow';
import { DEFAULT_APPROVALS, type ApprovalPolicy } from '../src/catalog/model';
import type { ServiceContext } from '../src/evaluation/observation';
import { actionStatement, type ActionTarget, type PostmortemDetail } from '../src/incident/action-statement';
import { REQUEST_ID, type ActionProof, type ActionRequest } from '../src/incident/proposals';
import type { ActionStatement, HumanAction } from '../src/signing/statement';
import type { ActionOutcome, RefusalKind } from './messages';
import { verifying } from './proxies';

/** Histories recorded before signed actions replay the unsigned path (no verification activity). */
export const SIGNED_ACTIONS_PATCH = 'signed-human-actions';

/** Where a workflow keeps what the protocol decides; the freeze workflow has no IncidentRecord. */
export interface ActionBook {
  readonly outcomes: Map<string, ActionOutcome>;
  readonly service: string;
  now(): string;
  /** The service's approvers and governance, as the latest evaluation saw them. */
  context(): ServiceContext | undefined;
  note(kind: 'approval' | 'refusal', actor: string, message: string): void;
  audit(record: Record<string, unknown>): void;
  evidence(name: string, content: unknown): void;
  /** Called after a refusal is recorded (the freeze view lists refusals). */
  refused?(request: ActionRequest, refusal: string): void;
}

/** What an action is and who may take it; checked before the signature and the state change. */
export interface ActionRules {
  action: HumanAction;
  target: ActionTarget;
  postmortem?: PostmortemDetail;
  /** Only the service's approvers; false where anyone on call may act (acknowledge, postmortem). */
  approversOnly: boolean;
  /** The refusal for a blank reason; null where a blank reason is allowed. */
  blankReason: string | null;
  /** Called after the protocol refused the action (a proposal keeps its refused decisions). */
  refused?: (refusal: string) => void;
}

/** An accepted action as the protocol records it: the proof, and the statement it proves. */
export interface Proven {
  proof: ActionProof;
  /** The statement the signature covers (absent for unsigned actions). */
  statement?: ActionStatement;
  signature?: string;
  /**
   * Taken on the path recorded before signed actions: add no audit records that path did not write
   * (notification workflow ids count audit records, so replays must see the same number).
   */
  legacy?: boolean;
}

const UNSIGNED: Proven = { proof: { signed: false } };
const LEGACY: Proven = { proof: { signed: false }, legacy: true };

export function approvalPolicy(context: ServiceContext | undefined): ApprovalPolicy {
  return context?.governance.approvals ?? DEFAULT_APPROVALS;
}

/**
 * Registers `signal` on the protocol: `rules` says what the action is, `apply` makes the state change
 * once the request id, approver, reason and proof hold (it may still refuse, e.g. on state).
 */
export function onAction<A extends ActionRequest>(
  signal: SignalDefinition<[A]>,
  book: () => ActionBook | undefined,
  rules: (request: A, book: ActionBook) => ActionRules,
  apply: (request: A, proven: Proven) => void,
): void {
  setHandler(signal, async (request: A) => {
    const b = book();
    if (!b || !REQUEST_ID.test(request.requestId) || b.outcomes.has(request.requestId)) return;
    const r = rules(request, b);
    if (!patched(SIGNED_ACTIONS_PATCH)) {
      const refusal = actorRefusal(b, request, r);
      return refusal ? refuseBy(b, request, r, refusal, 'actor') : apply(request, LEGACY);
    }
    answer(b, request.requestId, false, 'checking the signature', false);
    const refusal = actorRefusal(b, request, r);
    if (refusal) return refuseBy(b, request, r, refusal, 'actor');
    const proven = await prove(b, request, r);
    if (typeof proven === 'string') return refuseBy(b, request, r, proven, 'signature');
    apply(request, proven);
  });
}

function refuseBy(
  book: ActionBook,
  request: ActionRequest,
  rules: ActionRules,
  refusal: string,
  kind: RefusalKind,
): void {
  refuse(book, request, rules.action, refusal, kind);
  rules.refused?.(refusal);
}

function actorRefusal(book: ActionBook, request: ActionRequest, rules: ActionRules): string | null {
  if (rules.approversOnly && !(book.context()?.approvers ?? []).includes(request.by))
    return `${request.by} is not an approver of ${book.service}`;
  if (rules.blankReason !== null && request.reason.trim() === '') return rules.blankReason;
  return null;
}

/** The signature over the statement rebuilt from what arrived, or why the action is refused. */
async function prove(book: ActionBook, request: ActionRequest, rules: ActionRules): Promise<Proven | string> {
  const policy = approvalPolicy(book.context());
  if (request.signature === undefined || request.signature === '') {
    if (policy.signatures === 'optional') return UNSIGNED;
    return `unsigned: ${book.service} requires ${rules.action} to be signed with the actor's SSH key (safedeploy … --key FILE, or an ssh-agent key)`;
  }
  if (typeof request.signedAt !== 'string') return 'signed, but without the statement time (signedAt)';
  const statement = actionStatement(rules.action, rules.target, request, request.signedAt, rules.postmortem);
  const verdict = await verifying
    .verifyHumanAction({
      statement,
      signature: request.signature,
      receivedAt: book.now(),
    })
    .catch((err: unknown) => {
      if (!(err instanceof ActivityFailure)) throw err;
      return {
        ok: false as const,
        refusal: `the signature could not be checked: ${err.cause?.message ?? err.message}`,
      };
    });
  if (!verdict.ok) return `bad signature: ${verdict.refusal}`;
  return { proof: verdict.proof, statement, signature: request.signature };
}

/** Audits an accepted action in the approvals stream with its proof (not on the legacy path). */
export function auditAccepted(book: ActionBook, proven: Proven, record: Record<string, unknown>): void {
  if (!proven.legacy) book.audit({ ...record, ...proofFields(proven) });
}

/** What audit lines and evidence keep of the proof: enough for `audit verify` to check it again. */
export function proofFields(proven: Proven): Record<string, unknown> {
  if (!proven.proof.signed) return { signed: false };
  return {
    signed: true,
    signature: {
      fingerprint: proven.proof.fingerprint,
      keyType: proven.proof.keyType,
      statement: proven.statement,
      armored: proven.signature,
    },
  };
}

export function answer(
  book: ActionBook,
  requestId: string,
  accepted: boolean,
  message: string,
  final = true,
): void {
  book.outcomes.set(requestId, { requestId, accepted, message, final });
}

/** Records a refused action (timeline, audit, evidence) and answers it; nothing else changes. */
export function refuse(
  book: ActionBook,
  request: ActionRequest,
  action: string,
  refusal: string,
  kind: RefusalKind = 'state',
): void {
  const signed = typeof request.signature === 'string' && request.signature !== '';
  book.note('refusal', request.by, `${action} refused: ${refusal}`);
  const fields = { action, by: request.by, reason: request.reason, refusal, signed };
  book.audit({ type: 'refused', ...fields });
  book.evidence(`approval-${request.requestId}.json`, { ...fields, at: book.now(), accepted: false });
  book.refused?.(request, refusal);
  book.outcomes.set(request.requestId, {
    requestId: request.requestId,
    accepted: false,
    final: true,
    message: `refused: ${refusal}`,
    refusal: kind,
  });
}
