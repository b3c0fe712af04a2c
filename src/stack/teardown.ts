import { errorMessage } from '../errors';
// What the stack started, stopped in reverse order: the API and worker before Temporal, the demo
// service's scraper before the demo service. Used for a clean Ctrl-C and for a failed start alike.

interface Part {
  name: string;
  stop: () => Promise<void>;
}

export class Teardown {
  private readonly parts: Part[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers a started part; one that finishes starting after the stop began is stopped at once. */
  async add(name: string, stop: () => Promise<void>): Promise<void> {
    if (this.stopping) {
      await stop().catch(() => undefined);
      throw new Error(`stopped while ${name} was starting`);
    }
    this.parts.push({ name, stop });
  }

  /** Stops every part once, even when one of them fails; later calls wait for the first. */
  run(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    for (const part of this.parts.reverse()) {
      try {
        await part.stop();
        this.log(`stopped ${part.name}`);
      } catch (err) {
        this.log(`stopping ${part.name} failed: ${errorMessage(err)}`);
      }
    }
  }
}
