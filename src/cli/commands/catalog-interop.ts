// `safedeploy catalog import --from sloth|openslo` and `catalog export --to openslo`: meet teams where their
// SLOs already are. Import exit codes: 0 everything converted and the catalog meets the policy; 1 something
// was dropped (listed per document) or a service breaks the structural policy; 2 bad input, nothing written.
import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CatalogError, formatIssue } from '../../catalog/errors';
import { catalogFlag } from '../catalog-options';
import { isDuration } from '../../slo/windows';
import { parseDefaults, type ServiceDefaults } from '../../interop/defaults';
import {
  droppedCount,
  importCatalog,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportResult,
} from '../../interop/import';
import { ImportInputError, readInputs, writeOutputs } from '../../interop/import-files';
import { exportOpenSlo } from '../../interop/to-openslo';
import { CliError, EXIT } from '../errors';
import { formatJson, indent, plural } from '../output';
import { renderTable } from '../table';
import { loadCatalogOrExit } from './catalog';

interface ImportOptions {
  from: ImportFormat;
  out: string;
  defaults?: string;
  window: string;
  json?: boolean;
}

interface ExportOptions {
  to: 'openslo';
  catalog: string;
  out?: string;
}

const IMPORT_HELP = `
Sloth specs carry no SLO window (sloth generate --default-slo-period, 30d by default): --window sets it.
--defaults FILE is YAML with any of owner, approvers, deployment, rollback, governance (as in a catalog
spec); "{{.service}}" in a value becomes each service's name.
Exit codes: 0 everything converted and every service meets the structural policy; 1 something could not be
carried over (listed per document, with the reason) or a service breaks the policy; 2 bad usage or invalid
input (nothing is written).`;

export function registerCatalogInterop(catalog: Command): void {
  catalog
    .command('import')
    .description('Convert Sloth or OpenSLO v1 SLO specs into safedeploy/v1 catalog files')
    .addOption(new Option('--from <format>', 'input format').choices(IMPORT_FORMATS).makeOptionMandatory())
    .argument('<inputs...>', 'spec files or directories (searched recursively for *.yaml / *.yml)')
    .requiredOption('--out <dir>', 'directory for the catalog files (one per service; never overwritten)')
    .option('--defaults <file>', 'SafeDeploy fields the specs lack, for every service')
    .option('--window <duration>', 'SLO window where the spec has none', '30d')
    .option('--json', 'print the conversion report as JSON')
    .addHelpText('after', IMPORT_HELP)
    .action(async (inputs: string[], opts: ImportOptions) => {
      process.exitCode = await runImport(inputs, opts);
    });
  catalog
    .command('export')
    .description(
      "Write the catalog's SLOs as OpenSLO v1 documents (Service and SLO, inline ratio indicators)",
    )
    .addOption(new Option('--to <format>', 'output format').choices(['openslo']).makeOptionMandatory())
    .option(...catalogFlag())
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      '\nExit codes: 0 written; 1 some SLO could not be exported (listed on stderr); 2 bad usage or catalog.',
    )
    .action(async (opts: ExportOptions) => {
      process.exitCode = await runExport(opts);
    });
}

async function runImport(inputs: string[], opts: ImportOptions): Promise<number> {
  if (!isDuration(opts.window))
    throw new CliError(`invalid --window "${opts.window}": expected e.g. 30d or 28d`);
  const defaults = opts.defaults === undefined ? {} : await readDefaults(opts.defaults);
  const files = await readInputs(inputs).catch(asUsageError);
  const result = importCatalog(files, { from: opts.from, window: opts.window, defaults });
  if (result.issues.length > 0) {
    throw new CliError(
      `${plural(result.issues.length, 'problem')} in the ${opts.from} input; nothing was written:\n${indent(result.issues.map(formatIssue).join('\n'))}`,
    );
  }
  if (result.files.length === 0)
    throw new CliError(`no ${opts.from} SLO specs found in ${inputs.join(', ')}; nothing was written`);
  const written = await writeOutputs(opts.out, result.files).catch(asUsageError);
  process.stdout.write(opts.json ? formatJson(importJson(result, written)) : renderImport(result, written));
  return droppedCount(result) > 0 || result.violations.length > 0 ? EXIT.failure : EXIT.ok;
}

async function readDefaults(file: string): Promise<ServiceDefaults> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new CliError(`cannot read --defaults ${file}: ${error.message}`);
  });
  try {
    return parseDefaults(text, file);
  } catch (error) {
    if (error instanceof CatalogError)
      throw new CliError(`--defaults ${file} is invalid:\n${indent(error.message)}`);
    throw error;
  }
}

function asUsageError(error: unknown): never {
  if (error instanceof ImportInputError) throw new CliError(error.message);
  throw error;
}

function importJson(result: ImportResult, written: string[]): object {
  return {
    files: written,
    slos: result.sloCount,
    dropped: droppedCount(result),
    documents: result.reports,
    violations: result.violations,
  };
}

function renderImport(result: ImportResult, written: string[]): string {
  const lines = [
    `wrote ${plural(written.length, 'service')} with ${plural(result.sloCount, 'SLO')}: ${written.join(', ')}`,
  ];
  for (const report of result.reports) {
    if (report.converted.length + report.dropped.length + report.notes.length === 0) continue;
    lines.push(
      '',
      `${report.file} (document ${report.document}) ${report.kind}${report.name ? ` ${report.name}` : ''}`,
    );
    if (report.converted.length > 0) lines.push(`  converted: ${report.converted.join(', ')}`);
    for (const d of report.dropped)
      lines.push(`  dropped ${d.path === '' ? '(document)' : d.path}: ${d.reason}`);
    for (const note of report.notes) lines.push(`  note: ${note}`);
  }
  const dropped = droppedCount(result);
  lines.push(
    '',
    dropped === 0
      ? 'Everything was carried over.'
      : `${plural(dropped, 'part')} could not be carried over (see "dropped").`,
  );
  if (result.violations.length > 0) {
    const rows = result.violations.map((v) => [v.service, v.code, v.message]);
    lines.push(
      '',
      `${plural(result.violations.length, 'policy violation')} (fill them with --defaults FILE or edit the files):`,
      renderTable(['SERVICE', 'CODE', 'MESSAGE'], rows).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function runExport(opts: ExportOptions): Promise<number> {
  const catalog = await loadCatalogOrExit(opts.catalog);
  const result = exportOpenSlo(catalog.services);
  if (opts.out === undefined) process.stdout.write(result.text);
  else await writeFile(opts.out, result.text);
  for (const { service, fields } of result.notExported)
    process.stderr.write(
      `safedeploy: ${service}: ${fields.join(', ')} have no OpenSLO field and were not exported\n`,
    );
  for (const s of result.skipped)
    process.stderr.write(`safedeploy: ${s.service}/${s.slo} not exported: ${s.reason}\n`);
  return result.skipped.length > 0 ? EXIT.failure : EXIT.ok;
}
