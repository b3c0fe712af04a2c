// Schema validation: each case starts from the good checkout service and changes one field; the
// expected output is the exact operator-facing line (file, document, field path, reason).
import { DEFAULT_APPROVALS, DEFAULT_GOVERNANCE } from '../../../src/catalog/model';
import { changed, goodDocument, issueLines, renamed, serviceOf, type Doc } from './support';

const at = (path: string, reason: string) => `checkout.yaml (document 1): ${path}: ${reason}`;
const OBJECTIVE_RANGE = 'must be greater than 0 and less than 100';
const DURATION =
  'must be a duration such as 30s, 15m, 24h, 30d or 1h30m (units y w d h m s ms, largest first, each once)';
const DNS = 'must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit';
const WINDOW = 'must contain {{.window}} where the evaluation window goes, e.g. rate(x[{{.window}}])';

interface Case {
  name: string;
  doc: Doc;
  issues: string[];
}

const withSecondSlo = (name: string): Doc => {
  const doc = goodDocument();
  const slos = (doc.spec as { slos: Doc[] }).slos;
  slos.push({ ...slos[0], name });
  return doc;
};

const cases: Case[] = [
  { name: 'the good service has no issues', doc: goodDocument(), issues: [] },
  {
    name: 'a misspelled field is an unknown field and names the field it resembles',
    doc: renamed('spec.slos.0.objective', 'objectve'),
    issues: [
      at('spec.slos[0].objective', 'required'),
      at('spec.slos[0].objectve', 'unknown field (did you mean "objective"?)'),
    ],
  },
  {
    name: 'a snake_case field inside the repository union suggests its camelCase name',
    doc: renamed('spec.rollback.repo.baseBranch', 'base_branch'),
    issues: [at('spec.rollback.repo.base_branch', 'unknown field (did you mean "baseBranch"?)')],
  },
  {
    name: 'an unknown field that resembles nothing lists the allowed fields',
    doc: changed('spec.slos.0.labels', { tier: 1 }),
    issues: [at('spec.slos[0].labels', 'unknown field (allowed: name, objective, window, sli)')],
  },
  {
    name: 'an unknown metadata field is an error, not ignored',
    doc: changed('metadata.labels', { team: 'payments' }),
    issues: [at('metadata.labels', 'unknown field (allowed: name)')],
  },
  {
    name: 'an objective of 0 is out of range',
    doc: changed('spec.slos.0.objective', 0),
    issues: [at('spec.slos[0].objective', OBJECTIVE_RANGE)],
  },
  {
    name: 'an objective of 100 is out of range',
    doc: changed('spec.slos.0.objective', 100),
    issues: [at('spec.slos[0].objective', OBJECTIVE_RANGE)],
  },
  {
    name: 'an objective of 100.5 is out of range',
    doc: changed('spec.slos.0.objective', 100.5),
    issues: [at('spec.slos[0].objective', OBJECTIVE_RANGE)],
  },
  {
    name: 'an objective written as a string is the wrong type',
    doc: changed('spec.slos.0.objective', '99.9'),
    issues: [at('spec.slos[0].objective', 'expected a number, got string "99.9"')],
  },
  {
    name: 'an error query without {{.window}} is rejected',
    doc: changed('spec.slos.0.sli.events.errorQuery', 'sum(rate(http_requests_total{code=~"5.."}[5m]))'),
    issues: [at('spec.slos[0].sli.events.errorQuery', WINDOW)],
  },
  {
    name: 'a query that closes the batch and tags a value of its own is not one PromQL expression',
    doc: changed(
      'spec.slos.0.sli.events.errorQuery',
      'sum(rate(x[{{.window}}]))), "safedeploy_query", "7", "", "") or label_replace(vector(0), "safedeploy_query", "0", "", "") or label_replace(sum(vector(0)',
    ),
    issues: [
      at(
        'spec.slos[0].sli.events.errorQuery',
        'is not one PromQL expression: syntax error at character 26 near "), \\"safedeploy_query"',
      ),
    ],
  },
  {
    name: 'a query that is two expressions is refused',
    doc: changed('spec.slos.0.sli.events.totalQuery', 'sum(rate(x[{{.window}}])) sum(rate(y[{{.window}}]))'),
    issues: [
      at(
        'spec.slos[0].sli.events.totalQuery',
        'is not one PromQL expression: syntax error at character 27 near "sum(rate(y[{{.window"',
      ),
    ],
  },
  {
    name: 'an empty total query is reported once, as empty',
    doc: changed('spec.slos.0.sli.events.totalQuery', ''),
    issues: [at('spec.slos[0].sli.events.totalQuery', 'must not be empty')],
  },
  {
    name: 'a query with {{ .window }} (spaces inside the braces) is accepted',
    doc: changed('spec.slos.0.sli.events.totalQuery', 'sum(rate(http_requests_total[{{ .window }}]))'),
    issues: [],
  },
  {
    name: 'an SLO window that is not a duration is rejected',
    doc: changed('spec.slos.0.window', '30days'),
    issues: [at('spec.slos[0].window', DURATION)],
  },
  {
    name: 'a zero SLO window is rejected',
    doc: changed('spec.slos.0.window', '0d'),
    issues: [at('spec.slos[0].window', 'must be at least 1m')],
  },
  ...[
    ['a unit repeated', '1h1h', DURATION],
    ['units out of order', '30m1h', DURATION],
    ['a thousand years', '1000y', 'must be at most 1y'],
    ['a millisecond', '1ms', 'must be whole seconds (no ms here)'],
    ['shorter than a minute', '30s', 'must be at least 1m'],
  ].map(([what, window, reason]) => ({
    name: `an SLO window with ${what} (${window}) is rejected`,
    doc: changed('spec.slos.0.window', window),
    issues: [at('spec.slos[0].window', reason!)],
  })),
  {
    name: 'a freeze duration that is not a duration is rejected',
    doc: changed('spec.governance.freezeDuration', '1 day'),
    issues: [at('spec.governance.freezeDuration', DURATION)],
  },
  {
    name: 'an uppercase service name is not a DNS label',
    doc: changed('metadata.name', 'Checkout'),
    issues: [at('metadata.name', DNS)],
  },
  {
    name: 'a service name starting with a dash is not a DNS label',
    doc: changed('metadata.name', '-checkout'),
    issues: [at('metadata.name', DNS)],
  },
  {
    name: 'a service name of 64 characters is too long for a DNS label',
    doc: changed('metadata.name', 'a'.repeat(64)),
    issues: [at('metadata.name', 'must be at most 63 characters (a DNS label)')],
  },
  {
    name: 'a service without a name is rejected',
    doc: changed('metadata.name', undefined),
    issues: [at('metadata.name', 'required')],
  },
  {
    name: 'an SLO name with an underscore is not a DNS label',
    doc: changed('spec.slos.0.name', 'error_rate'),
    issues: [at('spec.slos[0].name', DNS)],
  },
  {
    name: 'two SLOs with the same name are rejected at the second',
    doc: withSecondSlo('availability'),
    issues: [at('spec.slos[1].name', 'duplicate SLO name "availability" (see index 0)')],
  },
  {
    name: 'an approver listed twice is rejected',
    doc: changed('spec.approvers', ['alice', 'bob', 'alice']),
    issues: [at('spec.approvers[2]', 'duplicate approver "alice"')],
  },
  {
    name: 'a safety margin above 1 is rejected',
    doc: changed('spec.governance.safetyMargin', 1.5),
    issues: [at('spec.governance.safetyMargin', 'must be between 0 and 1 (a fraction of the error budget)')],
  },
  {
    name: 'onNoData allow is not a choice: no data never allows',
    doc: changed('spec.governance.onNoData', 'allow'),
    issues: [at('spec.governance.onNoData', 'must be one of "deny", "hold"')],
  },
  {
    name: 'a quorum of 0 approvers is rejected',
    doc: changed('spec.governance.approvals', { quorum: 0 }),
    issues: [at('spec.governance.approvals.quorum', 'must be at least 1')],
  },
  {
    name: 'signatures are required or optional, nothing else',
    doc: changed('spec.governance.approvals', { signatures: 'never' }),
    issues: [at('spec.governance.approvals.signatures', 'must be one of "required", "optional"')],
  },
  {
    name: 'a malformed allowed_signers line names its line',
    doc: changed('spec.governance.approvals', { allowedSigners: 'alice ssh-ed25519' }),
    issues: [
      at(
        'spec.governance.approvals.allowedSigners',
        'allowedSigners:1: expected "<principals> [options] <key type> <base64 key>" (git\'s allowed_signers format)',
      ),
    ],
  },
  {
    name: 'an unknown deployment strategy is rejected (wrong case)',
    doc: changed('spec.deployment.strategy', 'bluegreen'),
    issues: [at('spec.deployment.strategy', 'must be one of "canary", "blueGreen", "rolling", "recreate"')],
  },
  {
    name: 'notification routes are named by DNS labels',
    doc: changed('spec.notifications', ['oncall-slack', 'Pager']),
    issues: [at('spec.notifications[1]', DNS)],
  },
  {
    name: 'a notification route named twice is rejected',
    doc: changed('spec.notifications', ['oncall-slack', 'oncall-slack']),
    issues: [at('spec.notifications[1]', 'duplicate notification route "oncall-slack"')],
  },
  {
    name: 'an unknown repository provider is rejected',
    doc: changed('spec.rollback.repo.provider', 'gitlab'),
    issues: [at('spec.rollback.repo.provider', 'must be one of "github", "git"')],
  },
  {
    name: 'a repository without a provider says which providers exist',
    doc: changed('spec.rollback.repo.provider', undefined),
    issues: [at('spec.rollback.repo.provider', 'required (one of "github", "git")')],
  },
  {
    name: 'a GitHub Enterprise base URL must be http(s)',
    doc: changed('spec.rollback.repo.baseUrl', 'ftp://github.example.com/api/v3'),
    issues: [at('spec.rollback.repo.baseUrl', 'must be an http(s) URL')],
  },
  {
    name: 'a branch name git would refuse is rejected',
    doc: changed('spec.rollback.repo.baseBranch', 'release..1'),
    issues: [at('spec.rollback.repo.baseBranch', 'must be a git branch name such as main')],
  },
  {
    name: 'a manifest path that climbs out of the repository is rejected',
    doc: changed('spec.rollback.manifest', 'apps/../../etc/rollout.yaml'),
    issues: [
      at(
        'spec.rollback.manifest',
        'must be a path relative to the repository root, without ".." or a leading "-" (e.g. apps/checkout/rollout.yaml)',
      ),
    ],
  },
  {
    name: 'an absolute manifest path is rejected',
    doc: changed('spec.rollback.manifest', '/apps/checkout/rollout.yaml'),
    issues: [
      at(
        'spec.rollback.manifest',
        'must be a path relative to the repository root, without ".." or a leading "-" (e.g. apps/checkout/rollout.yaml)',
      ),
    ],
  },
  {
    name: 'a rollback without its strategy is rejected',
    doc: changed('spec.rollback.strategy', undefined),
    issues: [at('spec.rollback.strategy', 'required ("gitops")')],
  },
  {
    name: 'an owner given as a string is the wrong type',
    doc: changed('spec.owner', 'payments'),
    issues: [at('spec.owner', 'expected a mapping, got string "payments"')],
  },
  {
    name: 'a foreign kind gets one error, not one per field',
    doc: { ...changed('kind', 'Deployment'), spec: { replicas: 3 } },
    issues: [at('kind', 'must be "Service"')],
  },
  {
    name: 'a document without a kind says which kind is required',
    doc: changed('kind', undefined),
    issues: [at('kind', 'required ("Service")')],
  },
  {
    name: 'another API version is rejected',
    doc: changed('apiVersion', 'safedeploy/v2'),
    issues: [at('apiVersion', 'must be "safedeploy/v1"')],
  },
];

describe('catalog schema', () => {
  it.each(cases)('$name', ({ doc, issues }) => {
    expect(issueLines(doc)).toEqual(issues);
  });

  it('a document that is a list, not a mapping, says what a document must be', () => {
    expect(issueLines(['checkout'])).toEqual([
      'checkout.yaml (document 1): must be a safedeploy/v1 Service mapping',
    ]);
  });

  it.each([
    ['an owner', 'spec.owner'],
    ['approvers', 'spec.approvers'],
    ['SLOs', 'spec.slos'],
    ['a deployment', 'spec.deployment'],
    ['a rollback', 'spec.rollback'],
  ])('a service without %s is well-formed: the structural policy reports it instead', (_what, path) => {
    expect(issueLines(changed(path, undefined))).toEqual([]);
  });

  it.each(['blueGreen', 'rolling', 'recreate'])(
    'deployment strategy %s is well-formed (not canary is a policy violation)',
    (strategy) => {
      expect(issueLines(changed('spec.deployment.strategy', strategy))).toEqual([]);
    },
  );
});

describe('defaults and mapping to the model', () => {
  it('a service without governance gets the default governance', () => {
    expect(serviceOf(changed('spec.governance', undefined)).governance).toEqual(DEFAULT_GOVERNANCE);
  });

  it('a governance block with one field gets the other fields from the defaults', () => {
    const service = serviceOf(changed('spec.governance', { onNoData: 'hold' }));
    expect(service.governance).toEqual({ ...DEFAULT_GOVERNANCE, onNoData: 'hold' });
  });

  it('notification routes reach the model; without them the service has none (the default routes apply)', () => {
    expect(serviceOf(changed('spec.notifications', ['oncall-slack'])).notifications).toEqual([
      'oncall-slack',
    ]);
    expect(serviceOf(goodDocument()).notifications).toBeUndefined();
  });

  it('a repository without a base branch uses main', () => {
    const service = serviceOf(changed('spec.rollback.repo.baseBranch', undefined));
    expect(service.rollback?.repo.baseBranch).toBe('main');
  });

  it('absent approvers and SLOs become empty lists', () => {
    const doc = changed('spec.approvers', undefined);
    delete (doc.spec as Doc).slos;
    expect(serviceOf(doc)).toMatchObject({ approvers: [], slos: [] });
  });

  it('the good service maps field by field to the plain model, with its source', () => {
    expect(serviceOf(goodDocument())).toEqual({
      name: 'checkout',
      owner: { team: 'payments', contact: 'payments-oncall@example.com' },
      approvers: ['alice', 'bob'],
      slos: [
        {
          name: 'availability',
          objective: 99.9,
          window: '30d',
          sli: {
            events: {
              errorQuery: 'sum(rate(http_requests_total{service="checkout",code=~"5.."}[{{.window}}]))',
              totalQuery: 'sum(rate(http_requests_total{service="checkout"}[{{.window}}]))',
            },
          },
        },
      ],
      deployment: { strategy: 'canary', rollout: { name: 'checkout', namespace: 'shop' } },
      rollback: {
        strategy: 'gitops',
        repo: { provider: 'github', owner: 'acme', name: 'env-prod', baseBranch: 'production' },
        manifest: 'apps/checkout/rollout.yaml',
        lookback: '24h',
      },
      governance: {
        freezeDuration: '12h',
        safetyMargin: 0.2,
        onNoData: 'hold',
        mode: 'enforce',
        approvals: DEFAULT_APPROVALS,
      },
      source: { file: 'checkout.yaml', document: 1 },
    });
  });

  it('queries reach the model with the canonical {{.window}} placeholder, trimmed', () => {
    const doc = changed(
      'spec.slos.0.sli.events.errorQuery',
      '  sum(rate(x{code=~"5.."}[{{ .window }}])) / {{.window  }}\n',
    );
    expect(serviceOf(doc).slos[0]?.sli.events.errorQuery).toBe(
      'sum(rate(x{code=~"5.."}[{{.window}}])) / {{.window}}',
    );
  });

  it('a GitHub Enterprise base URL is kept', () => {
    const doc = changed('spec.rollback.repo.baseUrl', 'https://github.example.com/api/v3');
    expect(serviceOf(doc).rollback?.repo).toMatchObject({
      provider: 'github',
      baseUrl: 'https://github.example.com/api/v3',
    });
  });
});
