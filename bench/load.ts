// HTTP load for the gate benchmark: Apache Bench (`ab`, Debian's apache2-utils) found like the
// project's other tools ($AB_BIN, then $PATH), or, when it is missing or fails, a small built-in
// generator with the same measures (requests/s, p50 and p99 latency).
import { runCommand } from '../src/process/exec';
import { findOnPath, isExecutable } from '../src/process/exec';

export interface LoadResult {
  tool: 'ab' | 'node';
  requests: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  url: string;
  requests: number;
  concurrency: number;
  headers?: Record<string, string>;
}

export async function findAb(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.AB_BIN && (await isExecutable(env.AB_BIN))) return env.AB_BIN;
  return findOnPath('ab', env);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const ab = await findAb();
  if (ab) {
    try {
      return await runAb(ab, options);
    } catch {
      // fall through to the built-in generator
    }
  }
  return runNodeLoad(options);
}

async function runAb(ab: string, o: LoadOptions): Promise<LoadResult> {
  const headers = Object.entries(o.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const { stdout } = await runCommand(ab, [
    '-q',
    '-n',
    String(o.requests),
    '-c',
    String(o.concurrency),
    ...headers,
    o.url,
  ]);
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? NaN);
  const result: LoadResult = {
    tool: 'ab',
    requests: number(/Complete requests:\s+(\d+)/),
    failed: number(/Failed requests:\s+(\d+)/) + number(/Non-2xx responses:\s+(\d+)/) || 0,
    perSecond: number(/Requests per second:\s+([\d.]+)/),
    p50Ms: number(/^\s+50%\s+(\d+)/m),
    p99Ms: number(/^\s+99%\s+(\d+)/m),
  };
  if (!Number.isFinite(result.perSecond)) throw new Error(`unexpected ab output: ${stdout.slice(0, 200)}`);
  return result;
}

async function runNodeLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < o.requests) {
      next++;
      const t = performance.now();
      const response = await fetch(o.url, { headers: o.headers ?? {} }).catch(() => undefined);
      await response?.arrayBuffer();
      if (!response?.ok) failed++;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  return {
    tool: 'node',
    requests: latencies.length,
    failed,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/** Rounds of one load as one result: every request counted, the median round's rate and latencies. */
export function medianLoad(rounds: readonly LoadResult[]): LoadResult {
  const median = (pick: (r: LoadResult) => number) => {
    const values = rounds.map(pick).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? NaN;
  };
  return {
    tool: rounds.every((r) => r.tool === 'ab') ? 'ab' : 'node',
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    perSecond: median((r) => r.perSecond),
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
  };
}
