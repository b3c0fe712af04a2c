// A PostgreSQL server of a test's own (initdb + pg_ctl on a temporary directory and a free port), for
// tests that restart the server: restarting the machine's shared one would disturb other test runs.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/process/ports';

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

export interface PrivatePostgres {
  url: string;
  /** Fast shutdown (connections are cut) and start again; the event loop keeps running meanwhile. */
  restart(): Promise<void>;
  stop(): void;
}

function binDir(): string {
  const found = BIN_DIRS.find((d) => existsSync(path.join(d, 'initdb')));
  if (!found) throw new Error(`no initdb in ${BIN_DIRS.join(', ')}: install the PostgreSQL server package`);
  return found;
}

/** initdb refuses to run as root: as root, run the server as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [file, argv] = asServerUser(command, args);
  execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
}

async function runAsync(command: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(command, args);
  await promisify(execFile)(file, argv, { timeout: 60_000 });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'safedeploy-pg-'));
  if (process.getuid?.() === 0) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const ctlArgs = (...args: string[]) => [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    ...args,
  ];
  const pgCtl = path.join(bin, 'pg_ctl');
  run(pgCtl, ctlArgs('start'));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => runAsync(pgCtl, ctlArgs('-m', 'fast', 'restart')),
    stop: () => {
      try {
        run(pgCtl, ctlArgs('-m', 'immediate', 'stop'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
