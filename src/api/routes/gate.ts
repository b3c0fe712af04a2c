// GET /v1/gate: the promotion gate for Argo Rollouts' web metric provider. Every verdict is a 200, so
// the AnalysisTemplate's conditions (result.verdict == "allow" / "deny") decide; an unreachable
// Prometheus or Temporal is a deny with a reason saying which (answerGate fails closed). The answer is
// decided first; recording it in the audit stream gate is a separate, buffered step that never delays it.
import type { FastifyInstance } from 'fastify';
import { answerGate, type GateAnswer } from '../../operator/gate';
import { recordGateAnswer } from '../../operator/gate-record';
import type { ApiDeps } from '../deps';
import { gateQuery, parseQuery } from '../params';

export function gateRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/gate', async (request): Promise<GateAnswer> => {
    const { service, revision } = parseQuery(gateQuery, request.query);
    const done = deps.metrics.startEvaluation('gate');
    let answer: GateAnswer;
    try {
      // The deadline bounds the Temporal reads; Prometheus requests carry their own timeout.
      answer = await deps.temporal.withDeadline((temporal) =>
        answerGate(
          { catalog: deps.catalog.current(), prometheus: deps.prometheus, temporal },
          service,
          deps.now(),
          revision,
        ),
      );
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
      },
      'gate answered',
    );
    return answer;
  });
}
