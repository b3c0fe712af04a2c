// GET /v1/services: the catalog with each service's latest SLO evaluation (severity, and the verdict
// from SLOs and structural policy; /v1/gate adds freeze and incident state). When Prometheus cannot
// be reached, the last successful evaluation is shown with `evaluationError`.
import type { FastifyInstance } from 'fastify';
import type { Service } from '../../catalog/model';
import type { ServiceAssessment } from '../../evaluation/assess-service';
import { assessmentOf, type FleetEvaluation } from '../../evaluation/evaluate-fleet';
import type { ApiDeps } from '../deps';
import { errorMessage } from '../../errors';
import { parseQuery, servicesQuery } from '../params';

export function servicesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/services', async (request) => {
    parseQuery(servicesQuery, request.query);
    let evaluationError: string | undefined;
    const evaluation = await deps.fleet.evaluate(deps.now()).catch((err: unknown) => {
      evaluationError = errorMessage(err);
      return deps.fleet.latest;
    });
    return {
      ...(evaluation ? { evaluatedAt: evaluation.evaluatedAt } : {}),
      ...(evaluationError ? { evaluationError } : {}),
      services: deps.catalog.current().services.map((s) => serviceEntry(s, evaluation)),
    };
  });
}

function serviceEntry(service: Service, evaluation: FleetEvaluation | undefined): object {
  const assessed = evaluation && assessmentOf(evaluation, service.name);
  return {
    name: service.name,
    ...(service.owner ? { owner: service.owner } : {}),
    approvers: service.approvers,
    slos: service.slos.map(({ name, objective, window }) => ({ name, objective, window })),
    ...(service.deployment?.rollout ? { rollout: service.deployment.rollout } : {}),
    governance: service.governance,
    latest: assessed ? latestOf(assessed) : null,
  };
}

function latestOf(a: ServiceAssessment): object {
  return {
    severity: a.severity,
    verdict: a.gate.verdict,
    wouldBe: a.gate.wouldBe,
    mode: a.gate.mode,
    reasons: a.gate.reasons,
    slos: a.slos.map((s) => ({
      name: s.name,
      severity: s.severity,
      errorBudget: s.errorBudget,
      burnRates: s.burnRates,
    })),
  };
}
