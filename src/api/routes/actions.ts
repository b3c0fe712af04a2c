// POST /v1/proposals/{incidentId}/{proposal}/approve and /reject: the same signed statement the CLI
// sends, for chat-ops bots and portals. The API only relays: it checks the body's form, finds the
// proposal, signals the incident's workflow and reports the outcome that workflow reached; the
// workflow verifies the signature (workflows/human-actions.ts) and records a refusal, and nothing
// else changes on one. 400 malformed, 403 bad or missing signature or not an approver, 404 unknown
// incident or proposal, 409 the proposal cannot be decided now, 200 decided, 202 still working.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { APPROVER_NAME_RULE, isApproverName } from '../../catalog/approver-name';
import { REQUEST_ID } from '../../incident/proposals';
import { findIncident } from '../../operator/incidents';
import { approveSignal, outcomeQuery, rejectSignal, type ActionOutcome } from '../../../workflows/messages';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { readTemporal } from '../temporal';

/** How long the API waits for the workflow's answer before answering 202 with what it has. */
const ANSWER_WAIT_MS = 10_000;

const actionBody = z.strictObject({
  by: z.string().refine(isApproverName, { error: APPROVER_NAME_RULE }),
  reason: z
    .string()
    .max(4096, 'must be at most 4096 characters')
    .refine((r) => r.trim() !== '', 'must not be empty: say why, it is recorded in the audit log'),
  requestId: z.string().regex(REQUEST_ID, 'must be 1-128 characters: letters, digits, ".", "_" and "-"'),
  signedAt: z.string().max(64, 'must be an ISO 8601 UTC time').optional(),
  signature: z
    .string()
    .max(16 * 1024, 'must be an armored SSH signature of at most 16 KiB')
    .optional(),
});

const actionParams = z.strictObject({
  incidentId: z
    .string()
    .max(128)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be an incident id'),
  proposal: z
    .string()
    .max(64)
    .regex(/^[a-z][a-z0-9-]*$/, 'must be a proposal type, e.g. rollback-rollout'),
});

export function actionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  for (const action of ['approve', 'reject'] as const) {
    app.post(
      `/proposals/:incidentId/:proposal/${action}`,
      { bodyLimit: 64 * 1024 },
      async (request, reply) => {
        const params = parse(actionParams, request.params, 'path');
        const body = parse(actionBody, request.body, 'body');
        const found = await readTemporal(deps.temporal, (client) => findIncident(client, params.incidentId));
        if (!found || found.view.incidentId !== params.incidentId)
          throw new ApiError(404, `no incident ${params.incidentId}`);
        const proposal = found.view.proposals.find(
          (p) => p.id === `${params.incidentId}/${params.proposal}` || p.type === params.proposal,
        );
        if (!proposal) throw new ApiError(404, `no proposal ${params.proposal} on ${params.incidentId}`);
        const handle = deps.temporal.client.workflow.getHandle(found.workflowId);
        // The proposal is sent exactly as it appears in the path: that is what the statement's subject names.
        const signal = action === 'approve' ? approveSignal : rejectSignal;
        await readTemporal(deps.temporal, () =>
          handle.signal(signal, { ...body, proposal: params.proposal }),
        );
        const outcome = await awaitOutcome(deps, found.workflowId, body.requestId);
        return answer(reply, body.requestId, outcome);
      },
    );
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new ApiError(400, `invalid ${where}${field ? ` field ${field}` : ''}: ${issue.message}`);
}

async function awaitOutcome(
  deps: ApiDeps,
  workflowId: string,
  requestId: string,
): Promise<ActionOutcome | undefined> {
  const handle = deps.temporal.client.workflow.getHandle(workflowId);
  const deadline = Date.now() + ANSWER_WAIT_MS;
  let latest: ActionOutcome | undefined;
  while (Date.now() < deadline) {
    // The signal is delivered: a slow query is asked again, and at worst the answer is 202.
    latest =
      (await readTemporal(deps.temporal, () => handle.query(outcomeQuery, requestId)).catch(
        () => undefined,
      )) ?? latest;
    if (latest?.final) return latest;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return latest;
}

const REFUSAL_STATUS = { signature: 403, actor: 403, state: 409 } as const;

function answer(reply: FastifyReply, requestId: string, outcome: ActionOutcome | undefined): FastifyReply {
  if (!outcome)
    return reply
      .code(202)
      .send({ requestId, final: false, message: 'no answer yet; the request was delivered' });
  if (!outcome.accepted && outcome.final)
    return reply
      .code(REFUSAL_STATUS[outcome.refusal ?? 'state'])
      .send({ error: outcome.message, ...outcome });
  return reply.code(outcome.final ? 200 : 202).send(outcome);
}
