// `safedeploy audit verify`: recomputes every audit stream's hash chain and names the first line
// that was edited, deleted, inserted or moved. Reads only; needs no server.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import { verifyStream, type VerifyResult } from '../../evidence/audit';
import { AUDIT_STREAMS } from '../../evidence/streams';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import { auditLabel, renderAuditVerification } from '../views/audit-text';

interface VerifyFlags {
  dataDir: string;
  json?: boolean;
}

const EXIT_HELP = `
Exit codes: 0 every stream intact; 1 a stream is broken (its first broken line is named);
2 no audit log in the data directory.`;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Check the tamper-evident audit log');
  audit
    .command('verify')
    .description(`Verify the hash chain of every audit stream (${AUDIT_STREAMS.join(', ')})`)
    .option(
      '--data-dir <dir>',
      'SafeDeploy data directory holding audit/ (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option('--json', 'print each stream’s result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  const auditDir = path.join(flags.dataDir, 'audit');
  const isDir = await stat(auditDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new CliError(`no audit log in ${auditDir} (use --data-dir DIR or set SAFEDEPLOY_DATA_DIR)`);
  const results: VerifyResult[] = [];
  for (const stream of AUDIT_STREAMS) results.push(await verifyStream(flags.dataDir, stream));
  const firstBroken = results.find((r) => r.broken);
  if (flags.json) {
    process.stdout.write(
      formatJson({ dataDir: flags.dataDir, intact: !firstBroken, streams: results.map(asJson) }),
    );
  } else {
    process.stdout.write(renderAuditVerification(results));
  }
  if (!firstBroken?.broken) return EXIT.ok;
  // The first broken line is the one to investigate: everything after it is unverifiable.
  throw new CliError(
    `${auditLabel(firstBroken.stream)} line ${firstBroken.broken.line}: ${firstBroken.broken.reason}`,
    EXIT.failure,
  );
}

function asJson(r: VerifyResult): object {
  return {
    stream: r.stream,
    file: auditLabel(r.stream),
    lines: r.lines,
    intact: !r.broken,
    ...(r.broken ? { broken: r.broken } : {}),
  };
}
