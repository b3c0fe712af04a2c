// `safedeploy report`: the fleet at a glance — owners, SLOs, budgets and burn rates, freezes,
// incidents, open proposals and gate verdicts. Reads only. Without Temporal it still reports the
// SLOs, says Temporal is unreachable and shows every verdict as the fail-closed deny it would be.
import { errorFirstLine } from '../../errors';
import { Option, type Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import { catalogFlag } from '../catalog-options';
import { readAuditStream } from '../../evidence/audit-read';
import type { GateRecord } from '../../operator/gate-record';
import { buildGateReport } from '../../operator/gate-report';
import { durationSeconds, isDuration } from '../../slo/windows';
import { evaluateFleet, type FleetEvaluation } from '../../evaluation/evaluate-fleet';
import { listFreezes, listIncidents } from '../../operator/incidents';
import { buildReport, type TemporalReads } from '../../operator/report';
import { PrometheusClient } from '../../prometheus/client';
import { PrometheusUnavailableError } from '../../prometheus/errors';
import { DATABASE_URL_FLAG, databaseUrlFrom, openCommandStore } from '../store-options';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import {
  addTemporalOptions,
  connectOrExit,
  temporalOptionsFrom,
  type TemporalFlags,
} from '../temporal-options';
import { renderGateReportMarkdown, renderGateReportText } from '../views/gate-report-render';
import { renderReportMarkdown, renderReportText } from '../views/report-render';
import {
  addPrometheusOptions,
  prometheusClientOptions,
  timeoutMs,
  type PrometheusFlags,
} from '../prometheus-options';
import { loadCatalogOrExit } from './catalog';

interface ReportFlags extends TemporalFlags, PrometheusFlags {
  catalog: string;
  timeout: string;
  json?: boolean;
  markdown?: boolean;
  gate?: boolean;
  since: string;
  dataDir: string;
  databaseUrl?: string;
}

const EXIT_HELP = `
Exit codes: 0 complete; 1 incomplete (Temporal unreachable, or some SLO queries failed: those SLOs are
no-data); 2 bad usage or catalog; 3 Prometheus unreachable.

--gate reports the recorded gate answers instead (audit stream gate in --data-dir; no Prometheus or
Temporal needed): per service and governance.mode, how many promotions were allowed, held and denied,
how many enforce would have allowed, held and denied, and the reasons. --since bounds the period
(default 30d) by the instant each answer was evaluated for.`;

export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description(
      'Report the fleet: owners, SLOs, budgets, burn rates, freezes, incidents, proposals and gate verdicts',
    )
    .option(...catalogFlag());
  addPrometheusOptions(report)
    .option('--timeout <duration>', 'per-request Prometheus timeout, e.g. 500ms, 15s', '15s')
    .addOption(new Option('--json', 'print the report as JSON').conflicts('markdown'))
    .addOption(new Option('--markdown', 'print the report as GitHub Markdown'))
    .option('--gate', 'report the recorded gate answers per service and mode (see below)')
    .option('--since <duration>', 'with --gate: the period to count, e.g. 7d or 30d', '30d')
    .option(
      '--data-dir <dir>',
      'with --gate: SafeDeploy data directory holding audit/ (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG);
  addTemporalOptions(report)
    .addHelpText('after', EXIT_HELP)
    .action(async (flags: ReportFlags) => {
      process.exitCode = flags.gate ? await runGateReport(flags) : await runReport(flags);
    });
}

async function runGateReport(flags: ReportFlags): Promise<number> {
  if (!isDuration(flags.since))
    throw new CliError(`invalid --since "${flags.since}": expected a duration such as 7d or 30d`);
  const now = new Date();
  const since = new Date(now.getTime() - durationSeconds(flags.since) * 1000);
  let records: GateRecord[];
  try {
    records = (await readGateStream(flags)) as unknown as GateRecord[];
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read the audit stream gate in ${flags.dataDir}: ${errorFirstLine(err)}`);
  }
  const report = buildGateReport(records, since, now);
  const render = flags.json ? formatJson : flags.markdown ? renderGateReportMarkdown : renderGateReportText;
  process.stdout.write(render(report));
  return EXIT.ok;
}

/** From PostgreSQL when configured, else audit/gate.jsonl in the data directory. */
async function readGateStream(flags: ReportFlags): Promise<unknown[]> {
  if (!databaseUrlFrom(flags.databaseUrl)) return readAuditStream(flags.dataDir, 'gate');
  const store = await openCommandStore(flags.dataDir, flags.databaseUrl);
  try {
    return await store.readLines('gate');
  } finally {
    await store.close();
  }
}

async function runReport(flags: ReportFlags): Promise<number> {
  const timeout = timeoutMs('--timeout', flags.timeout);
  const connection = await prometheusClientOptions(flags);
  const catalog = await loadCatalogOrExit(flags.catalog);
  const now = new Date();
  let evaluation: FleetEvaluation;
  try {
    evaluation = await evaluateFleet(
      catalog,
      new PrometheusClient({ ...connection, timeoutMs: timeout }),
      now,
    );
  } catch (err) {
    if (err instanceof PrometheusUnavailableError) throw new CliError(err.message, EXIT.unavailable);
    throw err;
  }
  const report = buildReport(catalog, evaluation, await readTemporal(flags), now);
  const render = flags.json ? formatJson : flags.markdown ? renderReportMarkdown : renderReportText;
  process.stdout.write(render(report));
  return report.temporal.reachable && report.queryErrors.length === 0 ? EXIT.ok : EXIT.failure;
}

/** Incidents and freezes, or the reason they could not be read: the report goes on either way. */
async function readTemporal(flags: TemporalFlags): Promise<TemporalReads> {
  const options = temporalOptionsFrom(flags);
  try {
    const client = await connectOrExit(options);
    try {
      const [incidents, freezes] = await Promise.all([listIncidents(client), listFreezes(client)]);
      return { reachable: true, incidents: incidents.map((r) => r.view), freezes };
    } finally {
      await client.connection.close().catch(() => undefined);
    }
  } catch (err) {
    const error =
      err instanceof CliError ? err.message : `Temporal at ${options.address}: ${errorFirstLine(err)}`;
    return { reachable: false, error };
  }
}
