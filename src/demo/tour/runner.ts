// Runs the tour's stages in order with numbered headings. Interactive: a pause for Enter between
// stages. Non-interactive: straight through, each stage bounded by its timeout, and a failure names
// the stage so a script (or a test) knows where the story broke.
import { createInterface } from 'node:readline';
import { errorMessage } from '../../errors';

export interface Stage<S> {
  title: string;
  /** Non-interactive bound; the wait inside a stage also uses it. */
  timeoutMs: number;
  run(state: S, say: Say): Promise<void>;
}

/** Prints one line of the tour, indented under its stage heading. */
export type Say = (line: string) => void;

export class StageFailure extends Error {
  constructor(
    readonly stage: number,
    readonly title: string,
    cause: unknown,
  ) {
    super(`stage ${stage} "${title}" failed: ${errorMessage(cause)}`, {
      cause,
    });
    this.name = 'StageFailure';
  }
}

export async function runStages<S>(stages: Stage<S>[], state: S, interactive: boolean): Promise<void> {
  const say: Say = (line) => process.stdout.write(`${line.replace(/^/gm, '    ')}\n`);
  for (const [index, stage] of stages.entries()) {
    const number = index + 1;
    process.stdout.write(`\n[${number}/${stages.length}] ${stage.title}\n`);
    const started = Date.now();
    try {
      await withTimeout(stage.run(state, say), stage.timeoutMs);
    } catch (err) {
      throw new StageFailure(number, stage.title, err);
    }
    say(`✓ done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    if (interactive && number < stages.length) await pressEnter();
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${Math.round(timeoutMs / 1000)}s`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves on Enter, or at once when stdin is closed (nothing to wait for). */
function pressEnter(): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    rl.question('\n    Press Enter for the next stage (Ctrl-C to stop) ', () => rl.close());
    rl.once('close', () => resolve());
  });
}
