// Writer processes for the store tests: each a separate node process appending through the built
// store (dist/), as separate workers would, so they share nothing but the files or the database.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'src', 'store');

export interface WriterPlan {
  /** postgres://… or a data directory. */
  target: string;
  stream: string;
  /** Event ids, appended in batches of `batch`. */
  eventIds: string[];
  batch: number;
  /** Repeat the plan forever (a writer the test kills). */
  forever?: boolean;
  /** Pad each entry, so that an append takes long enough to be killed in the middle of. */
  padding?: number;
}

const SCRIPT = `
const { openStore } = require(${JSON.stringify(path.join(DIST, 'open.js'))});
const plan = JSON.parse(process.argv[1]);
(async () => {
  const isUrl = /^postgres/.test(plan.target);
  const store = await openStore(isUrl ? { dataDir: '', databaseUrl: plan.target } : { dataDir: plan.target });
  let round = 0;
  do {
    for (let i = 0; i < plan.eventIds.length; i += plan.batch) {
      const ids = plan.eventIds.slice(i, i + plan.batch);
      const entries = ids.map((id) => ({ eventId: plan.forever ? id + '-' + round : id, pid: process.pid, pad: 'x'.repeat(plan.padding || 0) }));
      await store.appendAudit(plan.stream, entries);
      if (plan.forever) process.stdout.write('.');
    }
    round++;
  } while (plan.forever);
  await store.close();
})().catch((err) => { console.error(err); process.exit(1); });
`;

export function startWriter(plan: WriterPlan): ChildProcess {
  return spawn(process.execPath, ['-e', SCRIPT, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves when the writer exits 0; rejects with its stderr otherwise. */
export function finished(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`writer exited ${code ?? signal}: ${stderr}`)),
    );
  });
}

/** The same event ids, each writer in its own order: every event is offered by every writer. */
export function overlappingPlans(
  target: string,
  stream: string,
  events: number,
  writers: number,
): WriterPlan[] {
  const ids = Array.from({ length: events }, (_, i) => `event-${i}`);
  return Array.from({ length: writers }, (_, w) => ({
    target,
    stream,
    eventIds: w % 2 === 0 ? ids : [...ids].reverse(),
    batch: 3 + w,
  }));
}
