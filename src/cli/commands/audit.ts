// `safedeploy audit verify`: recomputes every audit stream's hash chain and names the first line
// that was edited, deleted, inserted or moved — in the files of a data directory, or in PostgreSQL
// with --database-url. Reads only; needs no Temporal server.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import type { VerifyResult } from '../../evidence/audit';
import { AUDIT_STREAMS } from '../../evidence/streams';
import { fileStore } from '../../store/file-store';
import type { SafeDeployStore } from '../../store/store';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import { DATABASE_URL_FLAG, databaseError, databaseUrlFrom, requirePostgres } from '../store-options';
import { auditLabel, renderAuditVerification } from '../views/audit-text';

interface VerifyFlags {
  dataDir: string;
  databaseUrl?: string;
  json?: boolean;
}

const EXIT_HELP = `
Exit codes: 0 every stream intact; 1 a stream is broken (its first broken line is named);
2 no audit log in the data directory; 3 the database cannot be reached.`;

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('Check the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      `Verify the hash chain of every audit stream (${AUDIT_STREAMS.join(', ')}, and any other stored)`,
    )
    .option(
      '--data-dir <dir>',
      'SafeDeploy data directory holding audit/ (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG)
    .option('--json', 'print each stream’s result as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  const url = databaseUrlFrom(flags.databaseUrl);
  if (!url) {
    const auditDir = path.join(flags.dataDir, 'audit');
    const isDir = await stat(auditDir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDir)
      throw new CliError(
        `no audit log in ${auditDir} (use --data-dir DIR or set SAFEDEPLOY_DATA_DIR; --database-url for PostgreSQL)`,
      );
    return report(fileStore(flags.dataDir), flags, await verifyAll(fileStore(flags.dataDir)));
  }
  const store = requirePostgres(url);
  try {
    return report(
      store,
      flags,
      await verifyAll(store).catch((err: unknown) => Promise.reject(databaseError(url, err))),
    );
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function verifyAll(store: SafeDeployStore): Promise<VerifyResult[]> {
  const streams = [...new Set([...AUDIT_STREAMS, ...(await store.listStreams())])];
  const results: VerifyResult[] = [];
  for (const stream of streams) results.push(await store.verifyStream(stream));
  return results;
}

function report(store: SafeDeployStore, flags: VerifyFlags, results: VerifyResult[]): number {
  const firstBroken = results.find((r) => r.broken);
  const where = store.kind === 'files' ? { dataDir: flags.dataDir } : { database: store.location };
  if (flags.json) {
    process.stdout.write(
      formatJson({ ...where, intact: !firstBroken, streams: results.map((r) => asJson(r, store.kind)) }),
    );
  } else {
    process.stdout.write(renderAuditVerification(results, store.kind));
  }
  if (!firstBroken?.broken) return EXIT.ok;
  // The first broken line is the one to investigate: everything after it is unverifiable.
  throw new CliError(
    `${auditLabel(firstBroken.stream, store.kind)} line ${firstBroken.broken.line}: ${firstBroken.broken.reason}`,
    EXIT.failure,
  );
}

function asJson(r: VerifyResult, kind: SafeDeployStore['kind']): object {
  return {
    stream: r.stream,
    ...(kind === 'files' ? { file: auditLabel(r.stream, kind) } : {}),
    lines: r.lines,
    intact: !r.broken,
    ...(r.broken ? { broken: r.broken } : {}),
  };
}
