// `safedeploy db migrate|import`: the PostgreSQL store's schema and the move from a file store.
import type { Command } from 'commander';
import { dataDirDefault } from '../../config/env';
import { importFileStore, ImportRefused, type ImportReport } from '../../store/import';
import type { PostgresStore } from '../../store/postgres/store';
import { CliError, EXIT } from '../errors';
import { formatJson, plural } from '../output';
import { DATABASE_URL_FLAG, databaseError, requirePostgres } from '../store-options';
import { stat } from 'node:fs/promises';
import path from 'node:path';

interface DbFlags {
  databaseUrl?: string;
  json?: boolean;
}

interface ImportFlags extends DbFlags {
  dataDir: string;
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('The PostgreSQL store for evidence and audit');
  db.command('migrate')
    .description('Create or update SafeDeploy’s schema (workers also do this at start)')
    .option(...DATABASE_URL_FLAG)
    .option('--json', 'print the schema version and the migrations applied as JSON')
    .addHelpText('after', '\nExit codes: 0 schema up to date; 2 no database URL; 3 database unreachable.')
    .action((flags: DbFlags) => withStore(flags, (store) => runMigrate(store, flags)));
  db.command('import')
    .description('Copy a file store (evidence and audit in a data directory) into PostgreSQL, then verify it')
    .requiredOption(
      '--data-dir <dir>',
      'the data directory to import (holds audit/ and evidence/)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG)
    .option('--json', 'print the import and verification results as JSON')
    .addHelpText(
      'after',
      '\nSafe to run again: only what is missing is copied. Progress goes to stderr.\n' +
        'Exit codes: 0 imported and verified; 1 a chain is broken or a stream diverged (nothing of it imported);\n' +
        '2 bad usage or no audit log in the directory; 3 database unreachable.',
    )
    .action((flags: ImportFlags) => withStore(flags, (store) => runImport(store, flags)));
}

async function withStore(flags: DbFlags, run: (store: PostgresStore) => Promise<number>): Promise<void> {
  const store = requirePostgres(flags.databaseUrl);
  try {
    process.exitCode = await run(store);
  } catch (err) {
    if (err instanceof ImportRefused) throw new CliError(err.message, EXIT.failure);
    throw databaseError(store.location, err);
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function runMigrate(store: PostgresStore, flags: DbFlags): Promise<number> {
  const report = await store.migrate();
  const applied = report.applied.map((m) => ({ version: m.version, name: m.name }));
  if (flags.json)
    process.stdout.write(formatJson({ database: store.location, version: report.version, applied }));
  else
    process.stdout.write(
      `${applied.map((m) => `applied ${m.version} ${m.name}\n`).join('')}schema version ${report.version} (${store.location})\n`,
    );
  return EXIT.ok;
}

async function runImport(store: PostgresStore, flags: ImportFlags): Promise<number> {
  const hasAudit = await stat(path.join(flags.dataDir, 'audit')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!hasAudit)
    throw new CliError(`no audit log in ${path.join(flags.dataDir, 'audit')} (use --data-dir DIR)`);
  await store.migrate();
  const report = await importFileStore(flags.dataDir, store, (line) =>
    process.stderr.write(`safedeploy db import: ${line}\n`),
  );
  const broken = report.verification.find((v) => v.broken);
  if (flags.json)
    process.stdout.write(
      formatJson({ dataDir: flags.dataDir, database: store.location, intact: !broken, ...report }),
    );
  else process.stdout.write(importText(report));
  if (broken?.broken)
    throw new CliError(
      `after the import, stream ${broken.stream} is broken at line ${broken.broken.line}: ${broken.broken.reason}`,
      EXIT.failure,
    );
  return EXIT.ok;
}

function importText(report: ImportReport): string {
  const lines = report.streams.map(
    (s) => `${s.stream.padEnd(14)} ${plural(s.lines, 'line').padStart(12)}  ${s.imported} imported`,
  );
  const e = report.evidence;
  lines.push(
    `evidence       ${plural(e.files, 'file').padStart(12)}  ${e.imported} imported, ${e.alreadyPresent} already there`,
  );
  for (const d of e.differing) lines.push(`  kept the database's copy of ${d} (it differs from the file)`);
  const total = report.verification.reduce((sum, v) => sum + v.lines, 0);
  lines.push(
    `OK: ${plural(report.verification.length, 'stream')}, ${plural(total, 'line')} verified in the database`,
  );
  return `${lines.join('\n')}\n`;
}
