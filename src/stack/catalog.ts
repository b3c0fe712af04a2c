// The stack's catalog: examples/local (or --catalog) copied into the data folder on every start, with
// each git rollback repository pointed at the stack's own environment repository. Comments are kept.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const REPO_URL_PATH = ['spec', 'rollback', 'repo', 'url'];
const REPO_PROVIDER_PATH = ['spec', 'rollback', 'repo', 'provider'];

export async function writeStackCatalog(source: string, dest: string, envRepoUrl: string): Promise<void> {
  const files = (await readdir(source)).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no catalog files (*.yaml, *.yml) in ${source}`);
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  for (const file of files) {
    const text = await readFile(path.join(source, file), 'utf8');
    await writeFile(path.join(dest, file), pointAtRepo(text, envRepoUrl));
  }
}

function pointAtRepo(text: string, envRepoUrl: string): string {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return text; // only an empty stream parses to a non-array
  for (const doc of documents) {
    if (doc.getIn(REPO_PROVIDER_PATH) === 'git') doc.setIn(REPO_URL_PATH, envRepoUrl);
  }
  return documents.map((doc) => doc.toString({ lineWidth: 0 })).join('');
}
