// `safedeploy seed-env`: the local environment repository and catalog that `npm start` creates, on
// their own, for container stacks (docker-compose.yml runs it once into a shared volume). Idempotent.
import path from 'node:path';
import type { Command } from 'commander';
import { writeStackCatalog } from '../../stack/catalog';
import { ensureDemoKeys } from '../../stack/demo-keys';
import { ensureEnvRepo } from '../../stack/env-repo';
import { localCatalogSource } from '../../stack/layout';
import { CliError, EXIT } from '../errors';
import { formatJson } from '../output';
import { errorMessage } from '../../errors';

interface SeedFlags {
  dir: string;
  catalog: string;
  json?: boolean;
}

export function registerSeedEnvCommand(program: Command): void {
  program
    .command('seed-env')
    .description(
      'Create a local environment repository (DIR/env.git) and a catalog pointing at it (DIR/catalog)',
    )
    .requiredOption('--dir <dir>', 'where to create env.git and catalog/')
    .option(
      '--catalog <dir>',
      'catalog to copy (its git rollback URLs are pointed at DIR/env.git)',
      localCatalogSource(),
    )
    .option('--json', 'print the repository URL and catalog directory as JSON')
    .addHelpText('after', '\nAn existing env.git is kept as it is; the catalog is rewritten on every run.')
    .action(async (flags: SeedFlags) => {
      const dir = path.resolve(flags.dir);
      const log = (line: string) => process.stderr.write(`safedeploy seed-env: ${line}\n`);
      try {
        const url = await ensureEnvRepo(path.join(dir, 'env.git'), log);
        const catalogDir = path.join(dir, 'catalog');
        await writeStackCatalog(path.resolve(flags.catalog), catalogDir, url);
        // Demo signing keys of the catalog's approvers, as npm start makes them (src/stack/demo-keys.ts).
        const keys = await ensureDemoKeys(path.join(dir, 'keys'), catalogDir);
        process.stdout.write(
          flags.json
            ? formatJson({ envRepo: url, catalog: catalogDir, allowedSigners: keys.allowedSigners })
            : `environment ${url}\ncatalog ${catalogDir}\nallowed signers ${keys.allowedSigners}\n`,
        );
      } catch (err) {
        throw new CliError(`cannot seed ${dir}: ${errorMessage(err)}`, EXIT.failure);
      }
    });
}
