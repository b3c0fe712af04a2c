// `safedeploy gate <service>`: the full promotion gate (SLOs from Prometheus, freeze and incident
// state from Temporal) for a pipeline step or an operator. It fails closed: an unreachable Temporal
// or Prometheus is a deny with a reason, never a pass and never a separate "unavailable" code.
import { errorFirstLine } from '../../errors';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import { catalogFlag } from '../catalog-options';
import { AuditBuffer } from '../../evidence/audit-buffer';
import { answerGate, failClosed, type GateAnswer } from '../../operator/gate';
import { recordGateAnswer } from '../../operator/gate-record';
import type { Verdict } from '../../policy/gate';
import { PrometheusClient } from '../../prometheus/client';
import type { Catalog } from '../../catalog/model';
import { DATABASE_URL_FLAG, openCommandStore } from '../store-options';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import {
  addTemporalOptions,
  connectOrExit,
  temporalOptionsFrom,
  type TemporalFlags,
} from '../temporal-options';
import {
  addPrometheusOptions,
  prometheusClientOptions,
  timeoutMs,
  type PrometheusFlags,
} from '../prometheus-options';
import { parseEvaluationTime } from '../time';
import { renderGateAnswer } from '../views/gate-text';
import { loadCatalogOrExit } from './catalog';

interface GateFlags extends TemporalFlags, PrometheusFlags {
  catalog: string;
  revision?: string;
  at?: string;
  timeout: string;
  json?: boolean;
  dataDir: string;
  databaseUrl?: string;
  record: boolean;
}

/** hold has its own code so that a pipeline can pause for a human instead of failing. */
export const GATE_EXIT: Record<Verdict, number> = { allow: EXIT.ok, deny: EXIT.failure, hold: 4 };

const EXIT_HELP = `
Exit codes: 0 allow, 1 deny, 4 hold, 2 bad usage (unknown service, bad catalog or flags).
There is no "unavailable" code: when Temporal or Prometheus cannot be read the gate denies (fails closed).
The exit code follows the verdict after the service's governance.mode: in shadow it is always 0 (allow),
in advise a deny becomes 4 (hold); wouldBe says what enforce would have answered.
--json prints {service, verdict, wouldBe, mode, reasons, evaluatedAt, ...}, the shape Argo Rollouts' web
metric checks with successCondition: result.verdict == "allow".
Every answer is appended to the audit stream gate in --data-dir (see report --gate); --no-record skips it.`;

export function registerGateCommand(program: Command): void {
  const gate = program
    .command('gate')
    .argument('<service>', 'the service to promote')
    .description('Answer the promotion gate for a service: allow, hold or deny, with reasons')
    .option('--revision <rev>', 'the revision being promoted (echoed in the answer)')
    .option(...catalogFlag());
  addPrometheusOptions(gate)
    .option('--at <time>', 'evaluate at this instant: RFC 3339 or unix seconds (default: now)')
    .option('--timeout <duration>', 'per-request Prometheus timeout, e.g. 500ms, 10s', '10s')
    .option('--json', 'print the answer as JSON')
    .option(
      '--data-dir <dir>',
      'SafeDeploy data directory whose audit/gate.jsonl records the answer (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG)
    .option('--no-record', 'do not record the answer in the audit stream gate');
  addTemporalOptions(gate)
    .addHelpText('after', EXIT_HELP)
    .action(async (service: string, flags: GateFlags) => {
      const answer = await runGate(service, flags);
      process.stdout.write(flags.json ? formatJson(answer) : renderGateAnswer(answer));
      process.exitCode = GATE_EXIT[answer.verdict];
      if (flags.record) await record(answer, flags.dataDir, flags.databaseUrl);
    });
}

async function runGate(service: string, flags: GateFlags): Promise<GateAnswer> {
  const at = parseEvaluationTime(flags.at);
  const timeout = timeoutMs('--timeout', flags.timeout);
  const connection = await prometheusClientOptions(flags);
  const catalog = await loadCatalogOrExit(flags.catalog);
  const entry = requireService(catalog, service, flags.catalog);
  const prometheus = new PrometheusClient({ ...connection, timeoutMs: timeout });
  const options = temporalOptionsFrom(flags);
  let temporal: Client;
  try {
    temporal = await connectOrExit(options);
  } catch (err) {
    const base = {
      service,
      evaluatedAt: at.toISOString(),
      ...(flags.revision ? { revision: flags.revision } : {}),
    };
    const text = `${errorFirstLine(err)}; SafeDeploy fails closed`;
    return failClosed(base, entry.governance.mode, 'temporal-unavailable', text);
  }
  try {
    return await answerGate({ catalog, prometheus, temporal }, service, at, flags.revision);
  } finally {
    await temporal.connection.close().catch(() => undefined);
  }
}

/**
 * The answer is already printed and the exit code set: a recording failure is reported on stderr
 * (never silently lost) but does not change what the pipeline was told.
 */
async function record(answer: GateAnswer, dataDir: string, databaseFlag: string | undefined): Promise<void> {
  try {
    const sink = await openCommandStore(dataDir, databaseFlag);
    const buffer = new AuditBuffer({ dataDir, stream: 'gate', sink, freshIds: true });
    recordGateAnswer(buffer, answer, 'cli', new Date());
    await buffer.close();
  } catch (err) {
    process.stderr.write(
      `safedeploy: the gate answer was not recorded in ${dataDir}: ${errorFirstLine(err)}\n`,
    );
  }
}

function requireService(catalog: Catalog, service: string, dir: string): Catalog['services'][number] {
  const entry = catalog.services.find((s) => s.name === service);
  if (entry) return entry;
  const known = catalog.services.map((s) => s.name).join(', ') || 'none';
  throw new CliError(`unknown service "${service}": not in the catalog ${dir} (services: ${known})`);
}
