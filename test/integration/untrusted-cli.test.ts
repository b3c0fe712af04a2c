// Careless and hostile inputs through the real binary: credentials never printed, Prometheus refusals
// and misbehaviour as one clear dependency error (exit 3), bad values and unreadable files as usage
// errors (exit 2) naming the flag or file, and nothing that hangs (FIFOs) or eats memory (/dev/zero).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { GOOD_TEXT } from '../unit/catalog/support';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let workDir: string;
let catalog: string;
let server: Server;
let prometheusUrl: string;
let handler: Handler;
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'safedeploy-untrusted-cli-'));
  catalog = await catalogWith('good', GOOD_TEXT);
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  prometheusUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  handler = (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
});

async function catalogWith(name: string, text: string): Promise<string> {
  const dir = path.join(workDir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'checkout.yaml'), text);
  return dir;
}

const evaluate = (...extra: string[]) =>
  runCli(['evaluate', '--catalog', catalog, '--prometheus', prometheusUrl, '--at', '1767225600', ...extra]);

describe('Prometheus credentials', () => {
  it('turns user info in --prometheus into basic auth and never prints it', async () => {
    handler = (_req, res) => res.writeHead(401).end('unauthorized');
    const url = prometheusUrl.replace('//', '//reader:s3cr3t-pass@');
    const run = await runCli(['evaluate', '--catalog', catalog, '--prometheus', url]);
    expect(run.code).toBe(3);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Prometheus at http:\/\/127\.0\.0\.1:\d+ refused the request as unauthorized/);
    expect(run.stderr + run.stdout).not.toContain('s3cr3t-pass');
    // At most the windows' concurrent requests (8), none retried, and one error.
    expect(seen.length).toBeLessThanOrEqual(8);
    const basic = `Basic ${Buffer.from('reader:s3cr3t-pass').toString('base64')}`;
    expect(seen.every((r) => r.headers.authorization === basic)).toBe(true);
  });

  it('sends the bearer token from --prometheus-bearer-token-file', async () => {
    const file = path.join(workDir, 'prometheus-token');
    await writeFile(file, 'pr0m-t0ken-value\n');
    const run = await evaluate('--prometheus-bearer-token-file', file, '--json');
    expect(run.code).toBe(0);
    expect(seen.every((r) => r.headers.authorization === 'Bearer pr0m-t0ken-value')).toBe(true);
  });

  it('reads basic auth from PROMETHEUS_BASIC_AUTH_USER and a password file', async () => {
    const file = path.join(workDir, 'prometheus-password');
    await writeFile(file, 'hunter2\n');
    const run = await runCli(['evaluate', '--catalog', catalog, '--prometheus', prometheusUrl, '--json'], {
      env: { PROMETHEUS_BASIC_AUTH_USER: 'reader', PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: file },
    });
    expect(run.code).toBe(0);
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('reader:hunter2').toString('base64')}`);
  });

  it('answers 403 with one "forbidden" error and exit 3', async () => {
    handler = (_req, res) => res.writeHead(403).end();
    const run = await evaluate();
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^safedeploy: Prometheus at .* refused the request as forbidden: HTTP 403; check --prometheus-bearer-token-file/,
    );
  });

  it('refuses a token in the URL query without printing it', async () => {
    const run = await runCli([
      'evaluate',
      '--catalog',
      catalog,
      '--prometheus',
      `${prometheusUrl}/?token=t0p-s3cret`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no query string');
    expect(run.stderr).not.toContain('t0p-s3cret');
    expect(seen).toHaveLength(0);
  });
});

describe('Prometheus that misbehaves', () => {
  it('refuses a non-URL --prometheus as usage (exit 2), without retrying', async () => {
    const run = await runCli(['evaluate', '--catalog', catalog, '--prometheus', 'localhost:9090']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--prometheus: invalid Prometheus URL: scheme "localhost" is not http or https/,
    );
    const garbage = await runCli(['evaluate', '--catalog', catalog, '--prometheus', 'not a url']);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/expected an http\(s\) URL/);
  });

  it('aborts a response larger than the limit and names Prometheus', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    };
    const run = await evaluate('--timeout', '20s');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /Prometheus at .* is unavailable: the response is larger than 32 MiB; aborted/,
    );
  });

  it('names Prometheus when the body stops arriving before the timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success",');
    };
    const run = await evaluate('--timeout', '500ms');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /Prometheus at .* is unavailable: reading the response failed: timed out after 500 ms/,
    );
  });
});

describe('strict values', () => {
  it.each([
    ['--at', '2026-02-30T00:00:00Z', /invalid --at "2026-02-30T00:00:00Z": expected a real RFC 3339/],
    ['--at', '2026-13-01T00:00:00Z', /invalid --at/],
    ['--at', '2026-01-01T24:00:00Z', /invalid --at/],
    ['--timeout', '3', /invalid --timeout "3": must be a duration/],
    ['--timeout', '1h1h', /invalid --timeout "1h1h"/],
    ['--timeout', '2h', /invalid --timeout "2h": must be at most 1h/],
  ])('refuses %s %s with exit 2', async (flag, value, message) => {
    const run = await runCli(['evaluate', '--catalog', catalog, '--prometheus', prometheusUrl, flag, value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(seen).toHaveLength(0);
  });

  it.each([
    [
      'an approver with a space',
      'approvers: [alice, bob]',
      'approvers: ["alice smith", bob]',
      /spec\.approvers\[0\]: must be an identifier/,
    ],
    [
      'an approver with a newline',
      'approvers: [alice, bob]',
      'approvers: ["alice\\nbob"]',
      /spec\.approvers\[0\]: must be an identifier/,
    ],
    [
      'an approver with NUL',
      'approvers: [alice, bob]',
      'approvers: ["alice\\0"]',
      /spec\.approvers\[0\]: must be an identifier/,
    ],
    ['a window of 1h1h', 'window: 30d', 'window: 1h1h', /spec\.slos\[0\]\.window: must be a duration/],
    ['a window of 1000y', 'window: 30d', 'window: 1000y', /spec\.slos\[0\]\.window: must be at most 1y/],
    ['a window of 1ms', 'window: 30d', 'window: 1ms', /spec\.slos\[0\]\.window: must be whole seconds/],
  ])('catalog validate refuses %s', async (name, from, to, message) => {
    const dir = await catalogWith(name.replace(/\W+/g, '-'), GOOD_TEXT.replace(from, to));
    const run = await runCli(['catalog', 'validate', '--catalog', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses an approver --by that is not an identifier', async () => {
    const run = await runCli(['proposal', 'approve', 'checkout', '--by', 'alice smith', '--reason', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid --by "alice smith": must be an identifier/);
  });
});

describe('files that are not plain, small files', () => {
  it('refuses a catalog file that is a FIFO at once, naming it', async () => {
    const dir = path.join(workDir, 'fifo');
    await mkdir(dir);
    execFileSync('mkfifo', [path.join(dir, 'checkout.yaml')]);
    const run = await runCli(['catalog', 'validate', '--catalog', dir], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('checkout.yaml: the file is not a regular file (a FIFO)');
  });

  it('refuses a catalog file that is /dev/zero, naming it', async () => {
    const dir = path.join(workDir, 'zero');
    await mkdir(dir);
    await symlink('/dev/zero', path.join(dir, 'checkout.yaml'));
    const run = await runCli(['catalog', 'validate', '--catalog', dir], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('checkout.yaml: the file is not a regular file (a device)');
  });

  it('refuses a catalog file over 4 MiB, naming it', async () => {
    const dir = await catalogWith('huge', `${GOOD_TEXT}\n${'# padding\n'.repeat(450_000)}`);
    const run = await runCli(['catalog', 'validate', '--catalog', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('checkout.yaml: the file is larger than 4 MiB');
  });

  it('refuses a catalog file with more documents than allowed', async () => {
    const dir = await catalogWith('many', '---\n'.repeat(300));
    const run = await runCli(['catalog', 'validate', '--catalog', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/checkout\.yaml: holds \d+ YAML documents, more than the 200 allowed/);
  });

  it.each([
    ['/dev/zero', /--token-file \/dev\/zero is not a regular file \(a device\)/],
    ['fifo', /is not a regular file \(a FIFO\)/],
  ])('refuses --token-file %s', async (name, message) => {
    let file = name;
    if (name === 'fifo') {
      file = path.join(workDir, 'token-fifo');
      execFileSync('mkfifo', [file]);
    }
    const run = await runCli(
      ['api', '--catalog', catalog, '--prometheus', prometheusUrl, '--token-file', file],
      {
        timeoutMs: 15_000,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
