// `safedeploy evaluate`: the SLO part of every service's decision, from the catalog and Prometheus
// alone. Reads only: no Temporal, nothing written.
import type { Command } from 'commander';
import { catalogFlag } from '../catalog-options';
import { evaluateFleet, type FleetEvaluation } from '../../evaluation/evaluate-fleet';
import { PrometheusClient } from '../../prometheus/client';
import { PrometheusUnavailableError } from '../../prometheus/errors';
import { SOURCE_PREFERENCES, type SourcePreference } from '../../prometheus/sources';
import { CliError, EXIT } from '../errors';
import {
  addPrometheusOptions,
  prometheusClientOptions,
  timeoutMs,
  type PrometheusFlags,
} from '../prometheus-options';
import { parseEvaluationTime } from '../time';
import { renderEvaluationTable } from '../views/evaluation-table';
import { loadCatalogOrExit } from './catalog';

interface EvaluateOptions extends PrometheusFlags {
  catalog: string;
  at?: string;
  json?: boolean;
  timeout: string;
  source: string;
}

export function registerEvaluateCommand(program: Command): void {
  const command = program
    .command('evaluate')
    .description(
      'Measure every SLO in the catalog from Prometheus and print budgets, burn rates and gate verdicts',
    )
    .option(...catalogFlag());
  addPrometheusOptions(command)
    .option('--at <time>', 'evaluate at this instant: RFC 3339 or unix seconds (default: now)')
    .option('--timeout <duration>', 'per-request Prometheus timeout, e.g. 500ms, 15s', '15s')
    .option(
      '--source <source>',
      'auto: recorded series (`rules generate`) where complete, raw queries for the rest; raw: raw only',
      'auto',
    )
    .option('--json', 'print the evaluation as JSON (each SLO says its "source": recorded or raw)')
    .addHelpText(
      'after',
      '\nExit codes: 0 evaluated, 1 some SLO queries failed (those SLOs are no-data), 2 bad input, 3 Prometheus unreachable.',
    )
    .action(async (opts: EvaluateOptions) => {
      process.exitCode = await runEvaluate(opts);
    });
}

async function runEvaluate(opts: EvaluateOptions): Promise<number> {
  const at = parseEvaluationTime(opts.at);
  const timeout = timeoutMs('--timeout', opts.timeout);
  const connection = await prometheusClientOptions(opts);
  if (!(SOURCE_PREFERENCES as readonly string[]).includes(opts.source))
    throw new CliError(`invalid --source "${opts.source}": expected one of ${SOURCE_PREFERENCES.join(', ')}`);
  const catalog = await loadCatalogOrExit(opts.catalog);
  const client = new PrometheusClient({ ...connection, timeoutMs: timeout });
  let evaluation: FleetEvaluation;
  try {
    evaluation = await evaluateFleet(catalog, client, at, { source: opts.source as SourcePreference });
  } catch (err) {
    if (err instanceof PrometheusUnavailableError) throw new CliError(err.message, EXIT.unavailable);
    throw err;
  }
  process.stdout.write(
    opts.json ? `${JSON.stringify(toJson(evaluation), null, 2)}\n` : renderEvaluationTable(evaluation),
  );
  for (const e of evaluation.queryErrors) {
    process.stderr.write(
      `safedeploy: ${e.service}/${e.slo} [${e.window}]: ${e.message} (query: ${e.query})\n`,
    );
  }
  return evaluation.queryErrors.length > 0 ? EXIT.failure : EXIT.ok;
}

/** The documented `evaluate --json` shape; queryErrors only appears when a query failed. */
function toJson(e: FleetEvaluation): object {
  return {
    evaluatedAt: e.evaluatedAt,
    services: e.services,
    ...(e.queryErrors.length > 0 ? { queryErrors: e.queryErrors } : {}),
  };
}
