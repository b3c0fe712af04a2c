// `safedeploy audit verify`: recomputes every audit stream's hash chain and names the first line
// that was edited, deleted, inserted or moved — in the files of a data directory, or in PostgreSQL
// with --database-url. `audit checkpoint` exports every stream's head, to keep outside the store, and
// `audit verify --checkpoint FILE` checks the chains still pass through it. Reads only; needs no
// Temporal server.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { signedLineProblem } from '../../signing/audit-signature';
import { dataDirDefault } from '../../config/env';
import type { VerifyResult } from '../../evidence/audit';
import { FileLimitError, KIB, readBoundedFile } from '../../files/bounded-read';
import { AUDIT_STREAMS } from '../../evidence/streams';
import { fileStore } from '../../store/file-store';
import type { ChainHead, SafeDeployStore } from '../../store/store';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import { DATABASE_URL_FLAG, databaseError, databaseUrlFrom, requirePostgres } from '../store-options';
import { auditLabel, renderAuditVerification } from '../views/audit-text';

interface VerifyFlags {
  dataDir: string;
  databaseUrl?: string;
  json?: boolean;
  checkpoint?: string;
}

const EXIT_HELP = `
Each file stream must also still pass through its head record (audit/<stream>.head.json), so a cut
tail and an emptied or deleted stream are reported; in PostgreSQL the head row plays that part. A
stream written before head records verifies with a note. With --checkpoint, every chain must still
pass through an exported checkpoint, which also reveals a chain rewritten together with its head.
Exit codes: 0 every stream intact; 1 a stream is broken (its first broken line is named);
2 no audit log in the data directory, or an unreadable checkpoint; 3 the database cannot be reached.`;

const CHECKPOINT_HELP = `
Prints JSON: {"createdAt", "store", "streams": {"<stream>": {"seq", "hash"}}}. Keep it where the
store's writers cannot change it (another host, object storage with retention, a signed commit),
e.g. from cron; \`audit verify --checkpoint FILE\` then reports a stream that no longer holds it.
Exit codes: 0 printed; 1 a stream is broken (nothing printed); 2 no audit log in the data directory;
3 the database cannot be reached.`;

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
    .option(
      '--checkpoint <file>',
      'also check every chain still passes through this exported checkpoint (from `audit checkpoint`)',
    )
    .addHelpText('after', EXIT_HELP)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await runVerify(flags);
    });
  audit
    .command('checkpoint')
    .description('Verify every audit stream and print its head (seq and hash) as JSON, to keep elsewhere')
    .option(
      '--data-dir <dir>',
      'SafeDeploy data directory holding audit/ (env SAFEDEPLOY_DATA_DIR)',
      dataDirDefault(),
    )
    .option(...DATABASE_URL_FLAG)
    .option('--json', 'print JSON (the default: a checkpoint is always JSON)')
    .addHelpText('after', CHECKPOINT_HELP)
    .action(async (flags: VerifyFlags) => {
      await withStore(flags, async (store) => {
        const results = await verifyAll(store);
        throwIfBroken(store, results);
        process.stdout.write(formatJson(await checkpointOf(store, results)));
      });
    });
}

type Checkpoint = Record<string, ChainHead>;

/** The verified heads; a file stream without a head record (older store) is anchored at its last line. */
async function checkpointOf(store: SafeDeployStore, results: VerifyResult[]): Promise<object> {
  const streams: Checkpoint = {};
  for (const r of results) {
    if (r.lines === 0) continue;
    const head = (await store.readHead(r.stream)) ?? (await lastLine(store, r.stream));
    if (head) streams[r.stream] = head;
  }
  return { createdAt: new Date().toISOString(), store: store.kind, streams };
}

async function lastLine(store: SafeDeployStore, stream: string): Promise<ChainHead | undefined> {
  const last = (await store.readLines(stream)).at(-1);
  return last && { seq: last.seq, hash: last.hash };
}

async function readCheckpoint(file: string): Promise<Checkpoint> {
  let parsed: { streams?: unknown };
  try {
    parsed = JSON.parse(
      await readBoundedFile(file, { maxBytes: 256 * KIB, what: `--checkpoint ${file}` }),
    ) as { streams?: unknown };
  } catch (err) {
    const message =
      err instanceof FileLimitError
        ? err.message
        : `cannot read --checkpoint ${file}: ${String(err instanceof Error ? err.message : err)}`;
    throw new CliError(message);
  }
  const streams = parsed?.streams;
  if (typeof streams !== 'object' || streams === null || Array.isArray(streams))
    throw new CliError(
      `--checkpoint ${file} has no "streams" object (write it with \`safedeploy audit checkpoint\`)`,
    );
  for (const [name, head] of Object.entries(streams as Record<string, Partial<ChainHead>>)) {
    // Stream names become file names in the file store: only plain names, never a path.
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(name))
      throw new CliError(`--checkpoint ${file}: "${name.slice(0, 100)}" is not an audit stream name`);
    if (!Number.isSafeInteger(head?.seq) || (head.seq as number) < 0 || typeof head.hash !== 'string')
      throw new CliError(`--checkpoint ${file}: stream "${name}" has no seq and hash`);
  }
  return streams as Checkpoint;
}

async function runVerify(flags: VerifyFlags): Promise<number> {
  const checkpoint = flags.checkpoint === undefined ? undefined : await readCheckpoint(flags.checkpoint);
  let code: number = EXIT.ok;
  await withStore(flags, async (store) => {
    code = report(store, flags, await verifyAll(store, checkpoint));
  });
  return code;
}

/** Opens the store the flags name (files unless a database URL is given) and closes it after `use`. */
async function withStore(flags: VerifyFlags, use: (store: SafeDeployStore) => Promise<void>): Promise<void> {
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
    return use(fileStore(flags.dataDir));
  }
  const store = requirePostgres(url);
  try {
    await use(store).catch((err: unknown) => Promise.reject(databaseError(url, err)));
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function verifyAll(store: SafeDeployStore, checkpoint: Checkpoint = {}): Promise<VerifyResult[]> {
  // A stream named only by the checkpoint was deleted, heads and all: verify reports it.
  const named = [...AUDIT_STREAMS, ...(await store.listStreams()), ...Object.keys(checkpoint)];
  const results: VerifyResult[] = [];
  for (const stream of new Set(named)) {
    const result = await store.verifyStream(stream, checkpoint[stream]);
    results.push(result.broken || result.lines === 0 ? result : await withSignatures(store, result));
  }
  return results;
}

/** An intact chain can still hold a rewritten decision: signed lines are checked again, cryptographically. */
async function withSignatures(store: SafeDeployStore, result: VerifyResult): Promise<VerifyResult> {
  const lines = await store.readLines(result.stream);
  for (const [i, line] of lines.entries()) {
    const problem = signedLineProblem(line);
    if (problem)
      return { ...result, broken: { line: i + 1, reason: `signed decision ${line.eventId}: ${problem}` } };
  }
  return result;
}

function throwIfBroken(store: SafeDeployStore, results: VerifyResult[]): void {
  const firstBroken = results.find((r) => r.broken);
  if (!firstBroken?.broken) return;
  // The first broken line is the one to investigate: everything after it is unverifiable.
  throw new CliError(
    `${auditLabel(firstBroken.stream, store.kind)} line ${firstBroken.broken.line}: ${firstBroken.broken.reason}`,
    EXIT.failure,
  );
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
  throwIfBroken(store, results);
  return EXIT.ok;
}

function asJson(r: VerifyResult, kind: SafeDeployStore['kind']): object {
  return {
    stream: r.stream,
    ...(kind === 'files' ? { file: auditLabel(r.stream, kind) } : {}),
    lines: r.lines,
    intact: !r.broken,
    ...(r.broken ? { broken: r.broken } : {}),
    ...(r.note ? { note: r.note } : {}),
  };
}
