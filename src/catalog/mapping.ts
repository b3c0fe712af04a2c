// The explicit step from the versioned spec (schema.ts) to the plain model (model.ts). Nothing past
// this file sees spec types, so a future safedeploy/v2 only needs a new schema and a new mapping.
import { normaliseBucketMatchers } from '../prometheus/bucket-bounds';
import { DEFAULT_GOVERNANCE, type RepoRef, type Rollback, type Service, type Slo } from './model';
import {
  WINDOW_PLACEHOLDER,
  type RepoSpec,
  type ServiceDocument,
  type ServiceSpec,
  type SloSpec,
} from './schema';

const CANONICAL_PLACEHOLDER = '{{.window}}';
const ANY_PLACEHOLDER = new RegExp(WINDOW_PLACEHOLDER.source, 'g');

export function toService(document: ServiceDocument, source: Service['source']): Service {
  const { spec } = document;
  return {
    name: document.metadata.name,
    ...(spec.owner && { owner: toOwner(spec.owner) }),
    approvers: [...spec.approvers],
    slos: spec.slos.map(toSlo),
    ...(spec.deployment && { deployment: toDeployment(spec.deployment) }),
    ...(spec.rollback && { rollback: toRollback(spec.rollback) }),
    // A service without its own mode gets the catalog default when the loader resolves it.
    governance: { ...spec.governance, mode: spec.governance.mode ?? DEFAULT_GOVERNANCE.mode },
    ...(spec.notifications && { notifications: [...spec.notifications] }),
    source,
  };
}

/**
 * Queries reach the model with one spelling of the placeholder, so substitution is a plain replace, and
 * with integer bucket bounds matching both `le="1"` and `le="1.0"` (see prometheus/bucket-bounds.ts).
 */
export function canonicalQuery(query: string): string {
  return normaliseBucketMatchers(query.trim().replace(ANY_PLACEHOLDER, CANONICAL_PLACEHOLDER));
}

function toOwner(owner: NonNullable<ServiceSpec['owner']>): NonNullable<Service['owner']> {
  return owner.contact === undefined ? { team: owner.team } : { team: owner.team, contact: owner.contact };
}

function toSlo(slo: SloSpec): Slo {
  const { errorQuery, totalQuery } = slo.sli.events;
  return {
    name: slo.name,
    objective: slo.objective,
    window: slo.window,
    sli: { events: { errorQuery: canonicalQuery(errorQuery), totalQuery: canonicalQuery(totalQuery) } },
  };
}

function toDeployment(
  deployment: NonNullable<ServiceSpec['deployment']>,
): NonNullable<Service['deployment']> {
  const { strategy, rollout } = deployment;
  return rollout ? { strategy, rollout: { name: rollout.name, namespace: rollout.namespace } } : { strategy };
}

function toRollback(rollback: NonNullable<ServiceSpec['rollback']>): Rollback {
  return {
    strategy: rollback.strategy,
    repo: toRepo(rollback.repo),
    manifest: rollback.manifest,
    lookback: rollback.lookback,
  };
}

function toRepo(repo: RepoSpec): RepoRef {
  if (repo.provider === 'git') return { provider: 'git', url: repo.url, baseBranch: repo.baseBranch };
  const { owner, name, baseBranch, baseUrl } = repo;
  return { provider: 'github', owner, name, baseBranch, ...(baseUrl !== undefined && { baseUrl }) };
}
