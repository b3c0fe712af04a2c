// `safedeploy catalog import` and `catalog export` through the real binary: the report, the exit codes, files
// written all at once or not at all, and a catalog that `catalog validate` accepts.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jsonOf, runCli } from '../support/cli';

const FIXTURES = path.resolve(__dirname, '../fixtures/interop');
const DEFAULTS = path.join(FIXTURES, 'defaults.yaml');
let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-import-'));
});
afterEach(async () => rm(workDir, { recursive: true, force: true }));

const out = () => path.join(workDir, 'catalog');
/** `safedeploy catalog import --from <from> <input> --out <out()> …rest`. */
const importCatalog = (from: 'sloth' | 'openslo', input: string, ...rest: string[]) =>
  runCli(['catalog', 'import', '--from', from, input, '--out', out(), ...rest]);

it('imports a Sloth directory into a catalog that validates, and exits 1 naming what it dropped', async () => {
  const run = await importCatalog('sloth', path.join(FIXTURES, 'sloth'), '--defaults', DEFAULTS);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^wrote 3 services with 4 SLOs/);
  expect(run.stdout).toMatch(/dropped slos\[0\]\.alerting: alerting is not imported/);
  expect(run.stdout).toMatch(
    /dropped spec\.slos\[1\]: SLO "freshness" not imported: its SLI is a raw error ratio/,
  );
  expect(await readdir(out())).toEqual(['checkout.yaml', 'ledger.yaml', 'search-api.yaml']);
  const validate = await runCli(['catalog', 'validate', '--catalog', out()]);
  expect(validate.code).toBe(0);
});

it('exits 0 when everything converts and the defaults complete every service', async () => {
  const run = await importCatalog(
    'sloth',
    path.join(FIXTURES, 'sloth/complete.yaml'),
    '--defaults',
    DEFAULTS,
    '--json',
  );
  expect(run.code).toBe(0);
  expect(jsonOf<{ dropped: number; violations: unknown[] }>(run)).toMatchObject({
    dropped: 0,
    violations: [],
  });
});

it('imports OpenSLO and exports it back to OpenSLO', async () => {
  const run = await importCatalog('openslo', path.join(FIXTURES, 'openslo'), '--json');
  expect(run.code).toBe(1);
  const report = jsonOf<{
    documents: { name: string; dropped: { reason: string }[] }[];
    violations: { code: string }[];
  }>(run);
  expect(report.documents.find((d) => d.name === 'uptime-sla')!.dropped[0]!.reason).toMatch(/Timeslices/);
  expect(report.violations.map((v) => v.code)).toContain('missing-approvers');
  const exported = path.join(workDir, 'openslo.yaml');
  const back = await runCli(['catalog', 'export', '--to', 'openslo', '--catalog', out(), '--out', exported]);
  expect(back.code).toBe(0);
  expect(await readFile(exported, 'utf8')).toMatch(/kind: SLO\nmetadata:\n {2}name: web-shop-availability/);
});

it('writes nothing when an output file exists, and leaves it as it was', async () => {
  await import('node:fs/promises').then((fs) => fs.mkdir(out()));
  await writeFile(path.join(out(), 'ledger.yaml'), 'mine\n');
  const run = await importCatalog('sloth', path.join(FIXTURES, 'sloth'));
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/already holds ledger\.yaml/);
  expect(await readdir(out())).toEqual(['ledger.yaml']);
  expect(await readFile(path.join(out(), 'ledger.yaml'), 'utf8')).toBe('mine\n');
});

it.each([
  [
    'a spec with a typo',
    'sloth',
    'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objectve: 99\n    sli: {}\n',
    /slos\[0\]\.objectve: unknown field/,
  ],
  ['a document that is not YAML', 'openslo', 'apiVersion: [openslo/v1\n', /problem/],
] as const)('refuses %s with exit 2 and writes nothing', async (_name, from, text, message) => {
  const input = path.join(workDir, 'input.yaml');
  await writeFile(input, text);
  const run = await importCatalog(from, input);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(await readdir(workDir)).toEqual(['input.yaml']);
});

it('refuses invalid --defaults, naming the field', async () => {
  const defaults = path.join(workDir, 'defaults.yaml');
  await writeFile(defaults, 'approvers: [alice]\nrollback: { strategy: gitops }\n');
  const run = await importCatalog('sloth', path.join(FIXTURES, 'sloth'), '--defaults', defaults);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--defaults .* is invalid:\n.*rollback\.repo/);
});
