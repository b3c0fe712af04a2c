// The versioned catalog spec (apiVersion safedeploy/v1, kind Service), as README.md "The service catalog" shows it
// (strict: docs/ARCHITECTURE.md invariant 2).
// Every object is strict: an unknown field is an error, because a typo (`objectve`) must never silently
// drop a setting. The schema checks form only; what a service lacks (owner, SLOs, approvers, rollback,
// a canary) is the structural policy's business (policy.ts), so those parts are optional here.
import { z } from 'zod';
import { APPROVER_NAME_RULE, isApproverName } from './approver-name';
import { allowedGitSchemes, remoteUrlProblem } from '../gitops/git/remote-policy';
import { promqlTemplateProblem } from '../prometheus/promql';
import { durationProblem, type DurationRules } from '../slo/windows';
import { parseAllowedSigners } from '../signing/allowed-signers';
import { DEFAULT_APPROVALS, DEFAULT_GOVERNANCE, DEFAULT_ROLLBACK_LOOKBACK, ENFORCEMENT_MODES } from './model';
import { errorMessage } from '../errors';

export const API_VERSION = 'safedeploy/v1';
export const KIND = 'Service';
/** At most one per catalog: settings every Service inherits unless it sets its own. */
export const DEFAULTS_KIND = 'CatalogDefaults';

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
/** `{{.window}}`, also written `{{ .window }}`: where each evaluation window is substituted. */
export const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;

// abort: an empty string gets one message, not every later check's too.
const text = z.string().min(1, { error: 'must not be empty', abort: true });

const dnsLabel = z
  .string()
  .max(63, { error: 'must be at most 63 characters (a DNS label)' })
  .regex(DNS_LABEL, {
    error: 'must be a lowercase DNS label: a-z, 0-9 and "-", starting and ending with a letter or digit',
  });

const dnsSubdomain = z
  .string()
  .max(253, { error: 'must be at most 253 characters' })
  .regex(DNS_SUBDOMAIN, { error: 'must be a lowercase Kubernetes name: a-z, 0-9, "-" and "."' });

/** SafeDeploy's one duration grammar (slo/windows.ts): whole seconds here, at most a year. */
const durationOf = (rules: DurationRules) =>
  z.string().superRefine((text, ctx) => {
    const problem = durationProblem(text, rules);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
const duration = durationOf({});
/** Shorter than a minute cannot hold the 5m alert window's meaning. */
const sloWindow = durationOf({ minSeconds: 60 });

const query = text
  .refine((q) => WINDOW_PLACEHOLDER.test(q), {
    error: 'must contain {{.window}} where the evaluation window goes, e.g. rate(x[{{.window}}])',
    abort: true,
  })
  .superRefine((q, ctx) => {
    // Parsed as Prometheus will see it, with a window in place; queries are batched with other
    // services' queries, so anything but exactly one expression is refused here, not at query time.
    const problem = promqlTemplateProblem(q, WINDOW_PLACEHOLDER);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Nothing git could read as an option or a command, and a scheme from the configured allow-list. */
function gitRemoteProblem(url: string): string | null {
  try {
    return remoteUrlProblem(url, allowedGitSchemes());
  } catch (err) {
    return errorMessage(err);
  }
}

/** Git refuses these in branch names (git check-ref-format); catching them here beats a failed push. */
function isBranchName(name: string): boolean {
  return /^[^\s~^:?*[\\]+$/.test(name) && !/^[-/]|\/$|\.\.|\/\/|@\{|\.lock$/.test(name);
}
const branch = z.string().refine(isBranchName, { error: 'must be a git branch name such as main' });

/** Relative to the environment repository root, and unable to escape it. */
function isRepoPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.startsWith('-') || path.includes('\\')) return false;
  return !path.split('/').includes('..');
}
const repoPath = z.string().refine(isRepoPath, {
  error:
    'must be a path relative to the repository root, without ".." or a leading "-" (e.g. apps/checkout/rollout.yaml)',
});

const noDuplicates = (what: string) => (items: string[], ctx: z.RefinementCtx) => {
  items.forEach((item, i) => {
    if (items.indexOf(item) !== i)
      ctx.addIssue({ code: 'custom', path: [i], message: `duplicate ${what} "${item}"` });
  });
};
const approverName = text.refine(isApproverName, { error: APPROVER_NAME_RULE });
const uniqueStrings = (what: string, item: z.ZodType<string> = text) =>
  z.array(item).superRefine(noDuplicates(what));

const notificationRoutes = z.array(dnsLabel).superRefine(noDuplicates('notification route'));

export const sloSchema = z.strictObject({
  name: dnsLabel,
  objective: z
    .number()
    .refine((x) => x > 0 && x < 100, { error: 'must be greater than 0 and less than 100' }),
  window: sloWindow,
  sli: z.strictObject({
    events: z.strictObject({ errorQuery: query, totalQuery: query }),
  }),
});

const slosSchema = z.array(sloSchema).superRefine((slos, ctx) => {
  slos.forEach((slo, i) => {
    const first = slos.findIndex((other) => other.name === slo.name);
    if (first !== i) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'name'],
        message: `duplicate SLO name "${slo.name}" (see index ${first})`,
      });
    }
  });
});

export const repoSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('github'),
    owner: text,
    name: text,
    baseBranch: branch.default('main'),
    /** GitHub Enterprise API URL, e.g. https://github.example.com/api/v3. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  }),
  z.strictObject({
    provider: z.literal('git'),
    /** A git remote (https://, ssh://, git://, file://, user@host:path) with an allowed scheme. */
    url: text.superRefine((url, ctx) => {
      const problem = gitRemoteProblem(url);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    }),
    baseBranch: branch.default('main'),
  }),
]);

/** allowed_signers lines checked here, so a bad key line fails the catalog load, not an approval. */
const allowedSignersLines = z
  .string()
  .max(64 * 1024, { error: 'must be at most 64 KiB of allowed_signers lines' })
  .superRefine((lines, ctx) => {
    try {
      parseAllowedSigners(lines, 'allowedSigners');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `${errorMessage(err)} (git's allowed_signers format)` });
    }
  });

export const approvalsSchema = z.strictObject({
  signatures: z.enum(['required', 'optional']).default(DEFAULT_APPROVALS.signatures),
  quorum: z
    .number()
    .int({ error: 'must be a whole number of approvers' })
    .min(1, { error: 'must be at least 1' })
    .max(10, { error: 'must be at most 10' })
    .default(DEFAULT_APPROVALS.quorum),
  authorMayApproveRollback: z.boolean().default(DEFAULT_APPROVALS.authorMayApproveRollback),
  allowedSigners: allowedSignersLines.optional(),
});

export const governanceSchema = z.strictObject({
  freezeDuration: duration.default(DEFAULT_GOVERNANCE.freezeDuration),
  safetyMargin: z
    .number()
    .refine((x) => x >= 0 && x <= 1, { error: 'must be between 0 and 1 (a fraction of the error budget)' })
    .default(DEFAULT_GOVERNANCE.safetyMargin),
  onNoData: z.enum(['deny', 'hold']).default(DEFAULT_GOVERNANCE.onNoData),
  // No default here: an absent mode inherits the catalog default (resolved by the loader).
  mode: z.enum(ENFORCEMENT_MODES).optional(),
  approvals: approvalsSchema.prefault({}),
});

export const serviceSpecSchema = z.strictObject({
  owner: z.strictObject({ team: text, contact: text.optional() }).optional(),
  approvers: uniqueStrings('approver', approverName).default([]),
  slos: slosSchema.default([]),
  deployment: z
    .strictObject({
      strategy: z.enum(['canary', 'blueGreen', 'rolling', 'recreate']),
      rollout: z.strictObject({ name: dnsSubdomain, namespace: dnsLabel }).optional(),
    })
    .optional(),
  rollback: z
    .strictObject({
      strategy: z.literal('gitops'),
      repo: repoSchema,
      manifest: repoPath,
      // How far before a burn's onset a pod-template change may be and still be the suspect release.
      lookback: duration.default(DEFAULT_ROLLBACK_LOOKBACK),
    })
    .optional(),
  // prefault({}) parses an absent block as {} so each field gets its own default.
  governance: governanceSchema.prefault({}),
  /** Notification routes (defined outside the catalog, see docs/NOTIFICATIONS.md); absent: the default ones. */
  notifications: notificationRoutes.optional(),
});

/** Checked first, so a foreign document (a Kubernetes manifest, say) gets one clear error, not twenty. */
export const documentHeaderSchema = z.object(
  { apiVersion: z.literal(API_VERSION), kind: z.literal(KIND) },
  { error: `must be a ${API_VERSION} ${KIND} mapping` },
);

/** Catalog-wide defaults; only settings meant to be shared across services belong here. */
export const catalogDefaultsDocumentSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(DEFAULTS_KIND),
  metadata: z.strictObject({ name: dnsLabel }).optional(),
  spec: z.strictObject({
    governance: z.strictObject({ mode: z.enum(ENFORCEMENT_MODES).optional() }).prefault({}),
    /** Notification routes of every service that names none itself. */
    notifications: notificationRoutes.optional(),
  }),
});

export const serviceDocumentSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  metadata: z.strictObject({ name: dnsLabel }),
  spec: serviceSpecSchema,
});

export type ServiceDocument = z.output<typeof serviceDocumentSchema>;
export type CatalogDefaultsDocument = z.output<typeof catalogDefaultsDocumentSchema>;
export type ServiceSpec = ServiceDocument['spec'];
export type SloSpec = z.output<typeof sloSchema>;
export type RepoSpec = z.output<typeof repoSchema>;
