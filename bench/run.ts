// `npm run bench`: runs every benchmark and prints a Markdown section for docs/BENCHMARKS.md.
import os from 'node:os';
import { benchEvaluate } from './evaluate';

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(`machine: ${machine}`);
  const evaluate = await benchEvaluate(log);
  const lines = [
    `## evaluate (${new Date().toISOString()})`,
    '',
    `Command: \`npm run bench\` · Machine: ${machine}`,
    '',
    '| SLOs | mode | HTTP requests per evaluation | wall time (median) |',
    '|---:|---|---:|---:|',
    ...evaluate.map((r) => `| ${r.slos} | ${r.mode} | ${r.requests} | ${r.medianMs} ms |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
