// GET /v1/incidents and /v1/proposals: read-only views of the incident workflows. Open incidents by
// default (active, or resolved and awaiting a postmortem); `all=true` adds finished ones.
import type { FastifyInstance } from 'fastify';
import type { Proposal, ProposalState } from '../../incident/proposals';
import { listIncidents } from '../../operator/incidents';
import type { ApiDeps } from '../deps';
import { incidentsQuery, parseQuery, proposalsQuery } from '../params';
import { readTemporal } from '../temporal';

const DEFAULT_LIMIT = 100;
/** Proposals still waiting for an approver or for their change to land. */
const OPEN_PROPOSAL_STATES: readonly ProposalState[] = ['pending', 'approved', 'opened'];

export function incidentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/incidents', async (request) => {
    const { service, all, limit } = parseQuery(incidentsQuery, request.query);
    const refs = await readTemporal(deps.temporal, (client) =>
      listIncidents(client, {
        ...(service ? { service } : {}),
        all: all ?? false,
        limit: limit ?? DEFAULT_LIMIT,
      }),
    );
    return { incidents: refs.map(({ workflowId, view }) => ({ workflowId, ...view })) };
  });

  app.get('/proposals', async (request) => {
    const { service } = parseQuery(proposalsQuery, request.query);
    const refs = await readTemporal(deps.temporal, (client) =>
      listIncidents(client, service ? { service } : {}),
    );
    const proposals: Proposal[] = refs
      .flatMap(({ view }) => view.proposals)
      .filter((p) => OPEN_PROPOSAL_STATES.includes(p.state));
    return { proposals };
  });
}
