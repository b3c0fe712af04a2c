// `safedeploy worker`: runs SafeDeploy's workflows and activities and keeps the fleet evaluation going.
import type { Command } from 'commander';
import { loadAllowedSigners } from '../../signing/verify';
import { dataDirDefault, envOr } from '../../config/env';
import { catalogFlag } from '../catalog-options';
import { loadNotifyConfig, type NotifyConfig } from '../../notify/routes';
import { durationProblem, durationSeconds } from '../../slo/windows';
import { addPrometheusOptions, prometheusClientOptions, type PrometheusFlags } from '../prometheus-options';
import { temporalOptionsFromEnv } from '../../temporal/connection';
import { isDatabaseUrl, openStore } from '../../store/open';
import type { SafeDeployStore } from '../../store/store';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../../worker/shutdown';
import { CliError, EXIT } from '../errors';
import { DATABASE_URL_FLAG, databaseError, databaseUrlFrom } from '../store-options';
import type * as RunWorker from '../../worker/run-worker';
import { errorMessage } from '../../errors';

type RunWorkerModule = typeof RunWorker;
import { DEFAULT_TIMINGS, type IncidentTimings } from '../../../workflows/messages';

interface WorkerFlags extends PrometheusFlags {
  catalog: string;
  dataDir: string;
  address?: string;
  namespace?: string;
  interval: string;
  cooldown: string;
  proposalTtl: string;
  mergePoll: string;
  postmortemReminder: string;
  evaluation: boolean;
  workflowBundle?: string;
  databaseUrl?: string;
  shutdownGrace: string;
  notifyRoutes?: string;
  allowedSigners?: string;
}

const asDuration = (ms: number) => `${Math.round(ms / 1000)}s`;

export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('Run the SafeDeploy worker: workflows, activities and the periodic fleet evaluation')
    .option(...catalogFlag());
  addPrometheusOptions(command)
    .option(
      '--data-dir <dir>',
      'git mirror cache, and evidence and audit log without a database (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option('--address <host:port>', 'Temporal frontend (env TEMPORAL_ADDRESS, default localhost:7233)')
    .option('--namespace <name>', 'Temporal namespace (env TEMPORAL_NAMESPACE, default "default")')
    .option(
      '--interval <duration>',
      'fleet evaluation interval (env SAFEDEPLOY_EVALUATION_INTERVAL)',
      envOr('SAFEDEPLOY_EVALUATION_INTERVAL', '30s'),
    )
    .option(
      '--cooldown <duration>',
      'SLOs must stay normal this long before an incident resolves',
      envOr('SAFEDEPLOY_COOLDOWN', asDuration(DEFAULT_TIMINGS.cooldownMs)),
    )
    .option(
      '--proposal-ttl <duration>',
      'how long a proposal waits for approval',
      envOr('SAFEDEPLOY_PROPOSAL_TTL', asDuration(DEFAULT_TIMINGS.proposalTtlMs)),
    )
    .option(
      '--merge-poll <duration>',
      'how often an open pull request is checked',
      envOr('SAFEDEPLOY_MERGE_POLL', asDuration(DEFAULT_TIMINGS.mergePollMs)),
    )
    .option(
      '--postmortem-reminder <duration>',
      'how often a missing postmortem is reminded',
      envOr('SAFEDEPLOY_POSTMORTEM_REMINDER', asDuration(DEFAULT_TIMINGS.postmortemReminderMs)),
    )
    .option(...DATABASE_URL_FLAG)
    .option(
      '--shutdown-grace <duration>',
      'on SIGTERM, let running activities finish this long (env SAFEDEPLOY_SHUTDOWN_GRACE; keep it below the pod grace period)',
      envOr('SAFEDEPLOY_SHUTDOWN_GRACE', asDuration(DEFAULT_SHUTDOWN_GRACE_MS)),
    )
    .option(
      '--notify-routes <file>',
      'notification routes: Slack, webhook, PagerDuty (env SAFEDEPLOY_NOTIFY_ROUTES; see docs/NOTIFICATIONS.md)',
      process.env.SAFEDEPLOY_NOTIFY_ROUTES,
    )
    .option(
      '--allowed-signers <file>',
      "who may sign human actions, in git's allowed_signers format (env SAFEDEPLOY_ALLOWED_SIGNERS; the catalog's governance.approvals.allowedSigners add to it)",
      process.env.SAFEDEPLOY_ALLOWED_SIGNERS,
    )
    .option('--no-evaluation', 'do not start the fleet evaluation workflow (another worker does)')
    .option(
      '--workflow-bundle <file>',
      'prebuilt workflow bundle (env SAFEDEPLOY_WORKFLOW_BUNDLE)',
      process.env.SAFEDEPLOY_WORKFLOW_BUNDLE,
    )
    .addHelpText(
      'after',
      '\nDurations are Prometheus durations: 500ms, 1s, 15m, 4h, 1d.\nStops gracefully on SIGTERM or SIGINT.',
    )
    .action(async (flags: WorkerFlags) => {
      const log = (line: string) => process.stderr.write(`safedeploy worker: ${line}\n`);
      const prometheus = await prometheusClientOptions(flags);
      const intervalMs = ms('--interval', flags.interval);
      const timings = timingsFrom(flags);
      const temporal = temporalOptionsFromEnv({
        ...(flags.address ? { address: flags.address } : {}),
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
      });
      // Loaded on demand: @temporalio/worker takes a second to load and only this command needs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createSafeDeployWorker } = require('../../worker/run-worker') as RunWorkerModule;
      const notify = flags.notifyRoutes ? await notifyRoutes(flags.notifyRoutes) : undefined;
      await checkAllowedSigners(flags.allowedSigners, log);
      const store = await openWorkerStore(flags, log);
      try {
        const worker = await createSafeDeployWorker({
          temporal,
          catalogDir: flags.catalog,
          prometheusUrl: prometheus.url,
          ...(prometheus.headers ? { prometheusHeaders: prometheus.headers } : {}),
          dataDir: flags.dataDir,
          store,
          shutdownGraceMs: ms('--shutdown-grace', flags.shutdownGrace),
          intervalMs,
          timings,
          startEvaluation: flags.evaluation,
          ...(notify ? { notify } : {}),
          ...(flags.allowedSigners ? { allowedSignersFile: flags.allowedSigners } : {}),
          ...(flags.workflowBundle ? { workflowBundlePath: flags.workflowBundle } : {}),
          log,
        }).catch((err: unknown) => {
          throw new CliError(
            `cannot start the worker on Temporal at ${temporal.address}: ${errorMessage(err)}`,
            EXIT.unavailable,
          );
        });
        log(
          `polling task queue on ${temporal.address} (namespace ${temporal.namespace}); ` +
            `evidence and audit in ${store.kind === 'files' ? store.location : `PostgreSQL ${store.location}`}; Ctrl-C to stop`,
        );
        await worker.run();
      } finally {
        await store.close().catch(() => undefined);
      }
      log('stopped');
    });
}

/** Files under --data-dir, or PostgreSQL (migrated here, before any activity runs). */
async function openWorkerStore(flags: WorkerFlags, log: (line: string) => void): Promise<SafeDeployStore> {
  const databaseUrl = databaseUrlFrom(flags.databaseUrl);
  if (databaseUrl && !isDatabaseUrl(databaseUrl))
    throw new CliError('invalid --database-url: it must start with postgres:// or postgresql://');
  try {
    return await openStore({ dataDir: flags.dataDir, ...(databaseUrl ? { databaseUrl } : {}), log });
  } catch (err) {
    throw databaseError(databaseUrl ?? '', err);
  }
}

/** A broken routes file is bad input: said before anything connects. */
async function notifyRoutes(file: string): Promise<NotifyConfig> {
  return loadNotifyConfig(file).catch((err: unknown) => {
    throw new CliError(errorMessage(err), EXIT.usage);
  });
}

function timingsFrom(flags: WorkerFlags): IncidentTimings {
  return {
    cooldownMs: ms('--cooldown', flags.cooldown),
    proposalTtlMs: ms('--proposal-ttl', flags.proposalTtl),
    mergePollMs: ms('--merge-poll', flags.mergePoll),
    postmortemReminderMs: ms('--postmortem-reminder', flags.postmortemReminder),
  };
}

function ms(flag: string, value: string): number {
  const problem = durationProblem(value, { subSecond: true });
  if (problem !== null)
    throw new CliError(`invalid ${flag} "${value}": ${problem} (e.g. 500ms, 30s, 15m, 4h)`);
  return durationSeconds(value) * 1000;
}

/** A missing or malformed allowed_signers file is a usage error at start, not a refusal at 3 a.m. */
async function checkAllowedSigners(file: string | undefined, log: (line: string) => void): Promise<void> {
  if (!file) {
    log(
      "no allowed signers (--allowed-signers / SAFEDEPLOY_ALLOWED_SIGNERS): signed actions are verified against the catalog's governance.approvals.allowedSigners only",
    );
    return;
  }
  const signers = await loadAllowedSigners(file).catch((err: unknown) => {
    throw new CliError(`invalid --allowed-signers: ${err instanceof Error ? err.message : String(err)}`);
  });
  log(`${signers.length} allowed signer key(s) from ${file}`);
}
