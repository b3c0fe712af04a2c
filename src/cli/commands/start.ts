// `safedeploy start` (what `npm start` runs): the whole local stack in the foreground until Ctrl-C.
import type { Command } from 'commander';
import { dataDirDefault, envOr } from '../../config/env';
import { readyBanner } from '../../stack/banner';
import { DEMO_TIMINGS } from '../../stack/children';
import { localCatalogSource } from '../../stack/layout';
import {
  PORT_FLAGS,
  PORT_LABELS,
  DEFAULT_PORTS,
  type PortName,
  type RequestedPorts,
} from '../../stack/ports';
import { LocalStack, type StackConfig } from '../../stack/stack';
import { isDuration } from '../../slo/windows';
import { CliError, EXIT } from '../errors';
import { DEMO_SERVICE_DEFAULTS } from './demo-service';
import { errorMessage } from '../../errors';

type PortFlags = Partial<
  Record<'temporalPort' | 'uiPort' | 'prometheusPort' | 'apiPort' | 'demoPort', string>
>;

interface StartFlags extends PortFlags {
  dataDir: string;
  catalog?: string;
  rps: string;
  interval: string;
  cooldown: string;
}

const PORT_KEYS: Record<PortName, keyof PortFlags> = {
  temporal: 'temporalPort',
  webUi: 'uiPort',
  prometheus: 'prometheusPort',
  api: 'apiPort',
  demo: 'demoPort',
};

export function registerStartCommand(program: Command): void {
  const command = program
    .command('start')
    .description('Run a complete local SafeDeploy (Temporal + Web UI, Prometheus, demo service, worker, API)')
    .option('--data-dir <dir>', 'state kept across restarts (env SAFEDEPLOY_DATA_DIR)', dataDirDefault())
    .option('--catalog <dir>', 'catalog to run, copied into the data folder (default: examples/local)')
    .option(
      '--rps <number>',
      "the demo service's synthetic requests per second",
      String(DEMO_SERVICE_DEFAULTS.rps),
    )
    .option('--interval <duration>', 'fleet evaluation interval', DEMO_TIMINGS.interval)
    .option(
      '--cooldown <duration>',
      'how long SLOs must stay normal before an incident resolves',
      DEMO_TIMINGS.cooldown,
    );
  for (const name of Object.keys(PORT_FLAGS) as PortName[]) {
    command.option(
      `${PORT_FLAGS[name]} <port>`,
      `${PORT_LABELS[name]} port (default ${DEFAULT_PORTS[name]} when free)`,
    );
  }
  command.addHelpText('after', HELP).action(async (flags: StartFlags) => {
    process.exitCode = await runStack(configFrom(flags));
  });
}

const HELP = `
Everything listens on 127.0.0.1. With TEMPORAL_ADDRESS or PROMETHEUS_URL set, that server is used
instead of starting one. The data folder holds the Temporal database, Prometheus' TSDB, the environment
repository, evidence, the audit log and the API token; restarting on it keeps every incident.
Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 a SafeDeploy process died, 2 bad usage, 3 could not start.`;

function configFrom(flags: StartFlags): Omit<StackConfig, 'log' | 'onChildExit'> {
  const rps = Number(flags.rps);
  if (!(rps > 0 && rps <= 1000)) throw new CliError(`invalid --rps "${flags.rps}": expected 0 < rps <= 1000`);
  for (const [flag, value] of [
    ['--interval', flags.interval],
    ['--cooldown', flags.cooldown],
  ] as const) {
    if (!isDuration(value))
      throw new CliError(`invalid ${flag} "${value}": expected a duration such as 5s or 1m`);
  }
  const ports: RequestedPorts = {};
  for (const name of Object.keys(PORT_KEYS) as PortName[]) {
    const text = flags[PORT_KEYS[name]];
    if (text === undefined) continue;
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new CliError(`invalid ${PORT_FLAGS[name]} "${text}"`);
    ports[name] = port;
  }
  const external = { temporal: process.env.TEMPORAL_ADDRESS, prometheus: process.env.PROMETHEUS_URL };
  return {
    dataDir: flags.dataDir,
    ports,
    catalogSource: flags.catalog ?? localCatalogSource(),
    service: DEMO_SERVICE_DEFAULTS.service,
    rps,
    timings: { ...DEMO_TIMINGS, interval: flags.interval, cooldown: flags.cooldown },
    namespace: envOr('TEMPORAL_NAMESPACE', 'default'),
    ...(external.temporal ? { externalTemporal: external.temporal } : {}),
    ...(external.prometheus ? { externalPrometheus: external.prometheus } : {}),
  };
}

/** Starts, prints the banner, and waits for a signal or a dying child; always stops what it started. */
async function runStack(config: Omit<StackConfig, 'log' | 'onChildExit'>): Promise<number> {
  const log = (line: string) => process.stderr.write(`safedeploy start: ${line}\n`);
  let settle: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (settle = resolve));
  let stopping = false;
  const onChildExit = (name: string, reason: string, output: string) => {
    if (stopping) return; // a terminal's Ctrl-C reaches the children too
    log(`${name} ${reason}; stopping the stack. Its last output:\n${output.trim()}`);
    settle(EXIT.failure);
  };
  const stack = new LocalStack({ ...config, log, onChildExit });
  // Stays registered while stopping: a second Ctrl-C must not kill us with children half-stopped.
  const onSignal = (signal: NodeJS.Signals) => {
    log(stopping ? `${signal}: already stopping` : `${signal}: stopping`);
    stopping = true;
    settle(EXIT.ok);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const started = stack.start().then(
    (addresses) => process.stdout.write(`${readyBanner(addresses, config.service)}\n`),
    (err: unknown) => {
      if (!stopping) log(`could not start: ${errorMessage(err)}`);
      settle(EXIT.unavailable);
    },
  );
  const code = await finished;
  await stack.stop();
  await started; // a start interrupted half-way stops what it was still starting
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  log('stopped');
  return code;
}
