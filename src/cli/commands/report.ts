// `safedeploy report`: the fleet at a glance — owners, SLOs, budgets and burn rates, freezes,
// incidents, open proposals and gate verdicts. Reads only. Without Temporal it still reports the
// SLOs, says Temporal is unreachable and shows every verdict as the fail-closed deny it would be.
import { Option, type Command } from 'commander';
import { catalogDirDefault, prometheusUrlDefault } from '../../config/env';
import { evaluateFleet, type FleetEvaluation } from '../../evaluation/evaluate-fleet';
import { listFreezes, listIncidents } from '../../operator/incidents';
import { buildReport, type TemporalReads } from '../../operator/report';
import { PrometheusClient } from '../../prometheus/client';
import { PrometheusUnavailableError } from '../../prometheus/errors';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import {
  addTemporalOptions,
  connectOrExit,
  messageOf,
  temporalOptionsFrom,
  type TemporalFlags,
} from '../temporal-options';
import { renderReportMarkdown, renderReportText } from '../views/report-render';
import { loadCatalogOrExit } from './catalog';

interface ReportFlags extends TemporalFlags {
  catalog: string;
  prometheus: string;
  timeout: string;
  json?: boolean;
  markdown?: boolean;
}

const EXIT_HELP = `
Exit codes: 0 complete; 1 incomplete (Temporal unreachable, or some SLO queries failed: those SLOs are
no-data); 2 bad usage or catalog; 3 Prometheus unreachable.`;

export function registerReportCommand(program: Command): void {
  const report = program
    .command('report')
    .description(
      'Report the fleet: owners, SLOs, budgets, burn rates, freezes, incidents, proposals and gate verdicts',
    )
    .option('--catalog <dir>', 'service catalog directory (env SAFEDEPLOY_CATALOG)', catalogDirDefault())
    .option('--prometheus <url>', 'Prometheus base URL (env PROMETHEUS_URL)', prometheusUrlDefault())
    .option('--timeout <seconds>', 'per-request Prometheus timeout', '15')
    .addOption(new Option('--json', 'print the report as JSON').conflicts('markdown'))
    .addOption(new Option('--markdown', 'print the report as GitHub Markdown'));
  addTemporalOptions(report)
    .addHelpText('after', EXIT_HELP)
    .action(async (flags: ReportFlags) => {
      process.exitCode = await runReport(flags);
    });
}

async function runReport(flags: ReportFlags): Promise<number> {
  const timeoutMs = Number(flags.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new CliError(`invalid --timeout "${flags.timeout}": expected seconds > 0`);
  const catalog = await loadCatalogOrExit(flags.catalog);
  const now = new Date();
  let evaluation: FleetEvaluation;
  try {
    evaluation = await evaluateFleet(
      catalog,
      new PrometheusClient({ url: flags.prometheus, timeoutMs }),
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
    const error = err instanceof CliError ? err.message : `Temporal at ${options.address}: ${messageOf(err)}`;
    return { reachable: false, error };
  }
}
