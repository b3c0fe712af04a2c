// `safedeploy catalog validate`: is the catalog well-formed, and does every service meet the structural
// policy? Reads only. Exit 2 on schema errors (the catalog cannot be used), 1 on policy violations
// (well-formed, but the gate denies those services), 0 when clean.
import type { Command } from 'commander';
import { CatalogError } from '../../catalog/errors';
import { loadCatalog } from '../../catalog/loader';
import type { Catalog, Service } from '../../catalog/model';
import { catalogFlag } from '../catalog-options';
import { CliError, EXIT } from '../errors';
import { formatJson, indent, plural } from '../output';
import { renderTable } from '../table';
import { registerCatalogInterop } from './catalog-interop';

interface ValidateOptions {
  catalog: string;
  json?: boolean;
}

const EXIT_HELP = `
Exit codes: 0 valid; 1 policy violations (the catalog is well-formed, but the gate denies those
services until they are fixed); 2 schema errors or an unreadable catalog (every issue on stderr).`;

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('Inspect, validate, import and export the service catalog');
  catalog
    .command('validate')
    .description('Check every catalog file against the safedeploy/v1 schema and the structural policy')
    .option(...catalogFlag())
    .option('--json', 'print services and policy violations as JSON')
    .addHelpText('after', EXIT_HELP)
    .action(async (opts: ValidateOptions) => {
      process.exitCode = await runValidate(opts);
    });
  registerCatalogInterop(catalog);
}

async function runValidate(opts: ValidateOptions): Promise<number> {
  const catalog = await loadCatalogOrExit(opts.catalog);
  process.stdout.write(opts.json ? formatJson(validationJson(catalog)) : renderValidation(catalog));
  return catalog.violations.length > 0 ? EXIT.failure : EXIT.ok;
}

/** Loads the catalog for any command; schema errors become a usage error (exit 2) listing every issue. */
export async function loadCatalogOrExit(dir: string): Promise<Catalog> {
  try {
    return await loadCatalog(dir);
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    const [only] = error.issues;
    if (error.issues.length === 1 && only?.file === undefined) {
      throw new CliError(`${error.message} (use --catalog DIR or set SAFEDEPLOY_CATALOG)`, EXIT.usage);
    }
    throw new CliError(
      `catalog ${dir} has ${plural(error.issues.length, 'error')}:\n${indent(error.message)}`,
    );
  }
}

export function renderValidation(catalog: Catalog): string {
  const sloCount = catalog.services.reduce((sum, s) => sum + s.slos.length, 0);
  const summary = `${plural(catalog.services.length, 'service')}, ${plural(sloCount, 'SLO')}; ${plural(catalog.violations.length, 'policy violation')}\n`;
  if (catalog.violations.length === 0) return summary;
  const rows = catalog.violations.map((v) => [v.service, v.code, v.message]);
  return `${summary}\n${renderTable(['SERVICE', 'CODE', 'MESSAGE'], rows)}\nThe catalog is well-formed, but the gate denies these services until the violations are fixed.\n`;
}

/** The documented `catalog validate --json` shape: a summary per service (no queries) and every violation. */
export function validationJson(catalog: Catalog): object {
  return { services: catalog.services.map(serviceSummary), violations: catalog.violations };
}

function serviceSummary(service: Service): object {
  return {
    name: service.name,
    source: service.source,
    owner: service.owner ?? null,
    approvers: service.approvers,
    slos: service.slos.map(({ name, objective, window }) => ({ name, objective, window })),
    deployment: service.deployment ?? null,
    rollback: service.rollback ?? null,
    governance: service.governance,
  };
}
