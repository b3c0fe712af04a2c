// The Dockerfile read line by line: stages, the runtime's user, dependencies, entrypoint and the prebuilt
// workflow bundle; and the imports of the code it ships, against the production dependencies it installs.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { DEFAULT_BUNDLE_FILE } from '../../../src/tools/bundle-workflows';
import {
  REPO_ROOT,
  codeReadsEnv,
  dockerInstructions,
  dockerStages,
  envInstruction,
  execForm,
  readRepoFile,
  runtimeSourceFiles,
  type DockerInstruction,
  type DockerStage,
} from './support';

const stages = dockerStages(readRepoFile('Dockerfile'));
const runtime = stages.at(-1)!;
const packageJson = JSON.parse(readRepoFile('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

const of = (stage: DockerStage, keyword: string): DockerInstruction[] =>
  stage.instructions.filter((i) => i.keyword === keyword);
const runs = (stage: DockerStage): string =>
  of(stage, 'RUN')
    .map((i) => i.args)
    .join('\n');
const workdir = (stage: DockerStage): string => of(stage, 'WORKDIR').at(-1)?.args ?? '/';
const runtimeEnv = (): Map<string, string> =>
  new Map(of(runtime, 'ENV').flatMap((i) => [...envInstruction(i.args)]));

describe('the Dockerfile', () => {
  test('has a build stage and a runtime stage, both glibc images of a supported Node.js LTS (never Alpine)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    // Node 20 reached end of life in April 2026; 22 and 24 are LTS lines (package.json allows >= 20.19).
    for (const stage of stages) expect(stage.base).toMatch(/^node:(22|24)-bookworm-slim$/);
    const images = dockerInstructions(readRepoFile('Dockerfile')).filter((i) =>
      ['ARG', 'FROM'].includes(i.keyword),
    );
    expect(images.filter((i) => /alpine|musl/i.test(i.args))).toEqual([]);
  });

  test('copies from named earlier stages only', () => {
    const copiesFrom = stages.flatMap((stage, index) =>
      of(stage, 'COPY')
        .map((copy) => /--from=(\S+)/.exec(copy.args)?.[1])
        .filter((from): from is string => from !== undefined)
        .map((from) => ({ from, earlier: stages.slice(0, index).map((s) => s.name) })),
    );
    expect(copiesFrom.length).toBeGreaterThan(0);
    for (const { from, earlier } of copiesFrom) expect(earlier).toContain(from);
  });

  test('builds the TypeScript and the workflow bundle from the sources it copies', () => {
    const build = stages.find((s) => s.name === 'build')!;
    const copied = of(build, 'COPY').flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']),
    );
    expect(copied).toEqual(expect.arrayContaining(['src', 'workflows', 'activities']));
    expect(runs(build)).toMatch(/npm ci --ignore-scripts/);
    expect(runs(build)).toMatch(/npm run build && npm run bundle:workflows/);
  });

  test('installs production dependencies only in the runtime stage, without lifecycle scripts', () => {
    const installs = runs(runtime).match(/npm (?:ci|install)[^&\n]*/g);
    expect(installs).toEqual(['npm ci --omit=dev --ignore-scripts ']);
    // `prepare` runs tsc, a devDependency: it must not run where devDependencies are missing.
    expect(packageJson.scripts.prepare).toMatch(/build/);
  });

  test('ships the compiled code and the launcher, not the sources', () => {
    const copies = of(runtime, 'COPY').map((c) => c.args);
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies).toContain('bin ./bin');
    expect(copies.filter((c) => /\b(src|workflows|activities|test)\b/.test(c))).toEqual([]);
  });

  test('installs git in the runtime stage (the git provider shells out to it)', () => {
    expect(runs(runtime)).toMatch(/apt-get install [^\n]*\bgit\b/);
  });

  test('runs as a numeric non-root user', () => {
    const user = of(runtime, 'USER').at(-1)?.args ?? 'root';
    const [uid] = user.split(':');
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  test('runs bin/safedeploy.js with node from WORKDIR, the worker by default', () => {
    const entrypoint = execForm(of(runtime, 'ENTRYPOINT').at(-1)?.args ?? '');
    expect(entrypoint?.slice(-2)).toEqual(['node', 'bin/safedeploy.js']);
    expect(execForm(of(runtime, 'CMD').at(-1)?.args ?? '')).toEqual(['worker']);
    expect(workdir(runtime)).toBe('/app');
    expect(readRepoFile('bin/safedeploy.js')).toMatch(/'dist', 'src', 'cli', 'main\.js'/);
  });

  test('points SAFEDEPLOY_WORKFLOW_BUNDLE at the bundle the build stage writes', () => {
    // `npm run bundle:workflows` writes DEFAULT_BUNDLE_FILE, beside the compiled workflows: dist/ in the image.
    expect(packageJson.scripts['bundle:workflows']).toBe('node dist/src/tools/bundle-workflows.js');
    expect(path.relative(REPO_ROOT, DEFAULT_BUNDLE_FILE)).toBe('workflow-bundle.js');
    const build = stages.find((s) => s.name === 'build')!;
    const inImage = path.posix.join(workdir(build), 'dist', 'workflow-bundle.js');
    expect(runtimeEnv().get('SAFEDEPLOY_WORKFLOW_BUNDLE')).toBe(
      inImage.replace(workdir(build), workdir(runtime)),
    );
  });

  test('sets only environment variables the code reads, besides NODE_ENV', () => {
    const names = [...runtimeEnv().keys()].filter((name) => name !== 'NODE_ENV');
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !codeReadsEnv(name))).toEqual([]);
  });

  test('creates the data directory owned by the runtime user', () => {
    const dataDir = runtimeEnv().get('SAFEDEPLOY_DATA_DIR') ?? '';
    const uid = (of(runtime, 'USER').at(-1)?.args ?? '').split(':')[0];
    expect(runs(runtime)).toMatch(new RegExp(`chown ${uid}:\\d+ ${dataDir}\\b`));
  });

  test('.dockerignore keeps dependencies, build output and history out, but nothing the Dockerfile copies', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', '.data']));
    const sources = stages.flatMap((stage) =>
      of(stage, 'COPY')
        .filter((copy) => !copy.args.startsWith('--from='))
        .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1)),
    );
    for (const source of sources)
      expect({ source, ignored: ignored.includes(source) }).toEqual({ source, ignored: false });
  });
});

describe('the code the image ships', () => {
  test('imports only Node built-ins, its own files and production dependencies', () => {
    const allowed = new Set([...builtinModules, ...Object.keys(packageJson.dependencies)]);
    const offending: string[] = [];
    for (const file of runtimeSourceFiles()) {
      const text = readFileSync(file, 'utf8');
      // Value imports and requires; `import type` is erased by the compiler.
      for (const match of text.matchAll(
        /(?:^import (?!type )[^;]*?from |\brequire\()\s*['"]([^'"]+)['"]/gms,
      )) {
        const specifier = match[1]!;
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0]!;
        if (!allowed.has(name)) offending.push(`${path.relative(REPO_ROOT, file)}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
