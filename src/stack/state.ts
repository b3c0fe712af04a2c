// The running stack's addresses in the data folder (stack.json): `safedeploy demo` finds the stack
// there, and a second `safedeploy start` on the same folder refuses to start beside a live one.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { DataLayout } from './layout';

export interface StackAddresses {
  pid: number;
  startedAt: string;
  temporalAddress: string;
  namespace: string;
  webUiUrl?: string;
  prometheusUrl: string;
  apiUrl?: string;
  apiTokenFile?: string;
  demoServiceUrl: string;
  envRepoUrl: string;
  catalogDir: string;
  dataDir: string;
}

export async function readStackFile(file: string): Promise<StackAddresses | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as StackAddresses;
  } catch {
    return undefined;
  }
}

export async function writeStackFile(layout: DataLayout, addresses: StackAddresses): Promise<void> {
  await writeFile(layout.stackFile, `${JSON.stringify(addresses, null, 2)}\n`);
}

export async function removeStackFile(layout: DataLayout): Promise<void> {
  await rm(layout.stackFile, { force: true });
}

/** Throws when another live process runs a stack on this data folder (SQLite and the TSDB are single-user). */
export async function assertNotRunning(layout: DataLayout): Promise<void> {
  const running = await readStackFile(layout.stackFile);
  if (!running || running.pid === process.pid || !isAlive(running.pid)) return;
  throw new Error(
    `a SafeDeploy stack (pid ${running.pid}) already runs on ${layout.root}: stop it (Ctrl-C in its terminal) ` +
      'or start this one with another --data-dir',
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The API's bearer token: generated once, kept in the data folder, readable only by its owner. */
export async function ensureApiToken(layout: DataLayout): Promise<string> {
  const existing = (await readFile(layout.apiTokenFile, 'utf8').catch(() => '')).trim();
  if (existing.length >= 16) return existing;
  const token = randomBytes(32).toString('hex');
  await writeFile(layout.apiTokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}
