// `npm run bench [-- evaluate detection history]`: runs the benchmarks (all by default) and prints
// Markdown sections for docs/BENCHMARKS.md; progress goes to stderr.
import os from 'node:os';
import { benchDetection, benchHistory } from './control-loop';
import { benchEvaluate } from './evaluate';
import { benchGateRecord } from './gate-record';
import { benchRecorded } from './recorded';

const log = (line: string) => process.stderr.write(`${line}\n`);

const BENCHES: Record<string, () => Promise<string[]>> = {
  async evaluate() {
    const rows = await benchEvaluate(log);
    return [
      '| SLOs | mode | HTTP requests per evaluation | wall time (median) |',
      '|---:|---|---:|---:|',
      ...rows.map((r) => `| ${r.slos} | ${r.mode} | ${r.requests} | ${r.medianMs} ms |`),
    ];
  },
  async recorded() {
    const { cycles, gate } = await benchRecorded(log);
    const healthz = (c: number) =>
      gate.find((g) => g.route === '/healthz' && g.concurrency === c)?.load.perSecond ?? NaN;
    return [
      '| SLOs | source | HTTP requests per cycle | wall time per cycle (median) | Prometheus CPU per cycle | cycles |',
      '|---:|---|---:|---:|---:|---:|',
      ...cycles.map(
        (r) =>
          `| ${r.slos} | ${r.source === 'auto' ? 'recorded' : 'raw'} | ${r.requests} | ${r.medianMs} ms | ${r.prometheusCpuSeconds.toFixed(2)} s | ${r.cycles} |`,
      ),
      '',
      '| route | concurrency | requests | requests/s | p50 | p99 | share of /healthz throughput | Prometheus requests per call | answers recorded (dropped) | load tool |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...gate.map(
        (g) =>
          `| ${g.route} | ${g.concurrency} | ${g.load.requests} (${g.load.failed} failed) | ${g.load.perSecond.toFixed(0)} | ${g.load.p50Ms} ms | ${g.load.p99Ms} ms | ${(g.load.perSecond / healthz(g.concurrency)).toFixed(2)} | ${g.prometheusRequestsPerCall === null ? '-' : g.prometheusRequestsPerCall.toFixed(4)} | ${g.records ? `${g.records.written} (${g.records.dropped})` : '-'} | ${g.load.tool} |`,
      ),
    ];
  },
  async detection() {
    const rows = await benchDetection(log);
    return [
      '| injected error rate | theoretical bound (fast-burn windows) | incident started | rollback proposal created |',
      '|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.errorFraction * 100} % | ${r.boundSeconds.toFixed(1)} s | ${r.incidentSeconds.toFixed(1)} s | ${r.proposalSeconds.toFixed(1)} s |`,
      ),
    ];
  },
  async 'gate-record'() {
    const rows = await benchGateRecord(log);
    return [
      '| gate answers | add() p50 | add() p99 | flush to audit/gate.jsonl | records/s |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.answers} | ${r.addP50Us.toFixed(1)} µs | ${r.addP99Us.toFixed(1)} µs | ${r.flushMs.toFixed(0)} ms | ${r.recordsPerSecond} |`,
      ),
    ];
  },
  async history() {
    const rows = await benchHistory(log);
    return [
      '| services | cycles measured | history events per cycle | history bytes per cycle | incidents open |',
      '|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r) =>
          `| ${r.services} | ${r.cycles} | ${r.eventsPerCycle.toFixed(1)} | ${r.bytesPerCycle} | ${r.incidents} |`,
      ),
    ];
  },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a in BENCHES);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(`machine: ${machine}`);
  for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
    log(`bench ${name} ...`);
    const table = await BENCHES[name]!();
    process.stdout.write(
      [
        `## ${name} (${new Date().toISOString()})`,
        '',
        `Command: \`npm run bench -- ${name}\` · Machine: ${machine}`,
        '',
        ...table,
        '',
      ].join('\n') + '\n',
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
