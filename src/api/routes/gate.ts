// GET /v1/gate: the promotion gate for Argo Rollouts' web metric provider. Every verdict is a 200, so
// the AnalysisTemplate's conditions (result.verdict == "allow" / "deny") decide; an unreachable
// Prometheus or Temporal is a deny with a reason saying which (the gate fails closed). Answers come
// from inputs shared by all callers within a staleness bound (src/api/gate-inputs.ts). The answer is
// decided first; recording it in the audit stream gate is a separate, buffered step that never delays it.
import type { FastifyInstance } from 'fastify';
import type { GateAnswer } from '../../operator/gate';
import { recordGateAnswer } from '../../operator/gate-record';
import type { ApiDeps } from '../deps';
import { gateQuery, parseQuery } from '../params';

/**
 * Argo Rollouts asks the same few URLs over and over: their validated parameters are kept (valid ones
 * only; a bad query is refused every time), bounded so arbitrary URLs cannot grow it.
 */
const MAX_REMEMBERED_QUERIES = 1024;

export function gateRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const remembered = new Map<string, { service: string; revision?: string | undefined }>();
  const gateParameters = (url: string, query: unknown) => {
    const known = remembered.get(url);
    if (known) return known;
    const parsed = parseQuery(gateQuery, query);
    if (remembered.size >= MAX_REMEMBERED_QUERIES) remembered.clear();
    remembered.set(url, parsed);
    return parsed;
  };
  app.get('/gate', async (request): Promise<GateAnswer> => {
    const { service, revision } = gateParameters(request.url, request.query);
    const done = deps.metrics.startEvaluation('gate');
    let answer: GateAnswer;
    try {
      answer = await deps.gate.answer(deps.catalog.current(), service, revision);
    } finally {
      done();
    }
    deps.metrics.recordGate(answer);
    if (deps.gateLog && !recordGateAnswer(deps.gateLog, answer, 'api', deps.now()))
      deps.metrics.gateRecordDropped();
    request.log.info(
      {
        service,
        revision,
        verdict: answer.verdict,
        wouldBe: answer.wouldBe,
        mode: answer.mode,
        reasons: answer.reasons.map((r) => r.code),
        dataAgeSeconds: answer.dataAgeSeconds,
      },
      'gate answered',
    );
    return answer;
  });
}
