// The I/O around an import: inputs are files or directories (searched recursively for *.yaml / *.yml,
// sorted), and the output directory receives every file or none: files are written under temporary
// names and renamed only when all of them were written; existing files are never overwritten.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { InputFile } from './import';
import type { RenderedFile } from './render';

const SPEC_FILE = /\.ya?ml$/;

export class ImportInputError extends Error {}

export async function readInputs(paths: string[]): Promise<InputFile[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await expand(path)));
  if (files.length === 0) throw new ImportInputError(`no *.yaml or *.yml files in ${paths.join(', ')}`);
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ImportInputError(
      error.code === 'ENOENT'
        ? `input ${path} does not exist`
        : `cannot read input ${path}: ${error.message}`,
    );
  });
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && SPEC_FILE.test(e.name) && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (file) =>
        !relative(path, file)
          .split('/')
          .some((part) => part.startsWith('.')),
    )
    .sort();
}

/** Writes all files into `dir` or none; refuses to replace a file that exists. */
export async function writeOutputs(dir: string, files: RenderedFile[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(await readdir(dir));
  const clashes = files.filter((f) => existing.has(f.name)).map((f) => f.name);
  if (clashes.length > 0)
    throw new ImportInputError(
      `${dir} already holds ${clashes.join(', ')}: choose an empty --out directory or move them`,
    );
  const temporary = files.map((f) => ({ ...f, tmp: join(dir, `.${f.name}.${process.pid}.tmp`) }));
  try {
    for (const f of temporary) await writeFile(f.tmp, f.text, { flag: 'wx' });
    for (const f of temporary) await rename(f.tmp, join(dir, f.name));
  } catch (error) {
    await Promise.all(temporary.map((f) => rm(f.tmp, { force: true })));
    throw error;
  }
  return files.map((f) => join(dir, f.name));
}
