// One dependency read shared by every caller within a staleness bound: callers get the latest value
// while it is at most `maxAgeMs` old, concurrent callers past the bound share one read in flight
// (single flight), and a failed read is remembered for `failureMemoMs` so that, while a dependency is
// down, a burst of callers costs it one attempt per interval instead of one per caller. With
// `refreshAhead`, a caller finding the value past half its bound starts a read in the background and
// still gets the cached value, so steady traffic never waits on the dependency.
export interface Dated<T> {
  value: T;
  /** When the data was read (epoch ms): the age callers see. */
  at: number;
}

export interface SharedReadOptions {
  maxAgeMs: number;
  now: () => Date;
  failureMemoMs?: number;
  refreshAhead?: boolean;
}

/** A failed read, remembered: answers fail closed with it until the memo expires. */
const DEFAULT_FAILURE_MEMO_MS = 1_000;

export class SharedRead<T> {
  private latest: Dated<T> | undefined;
  private inflight: Promise<Dated<T>> | undefined;
  private failure: { at: number; error: unknown } | undefined;

  constructor(
    private readonly read: (at: Date) => Promise<T>,
    private readonly options: SharedReadOptions,
  ) {}

  async get(): Promise<Dated<T>> {
    const now = this.options.now().getTime();
    const latest = this.latest;
    // Data read after `now` (a clock set back) is as unusable as data past the bound.
    if (latest && now >= latest.at && now - latest.at <= this.options.maxAgeMs) {
      if (this.options.refreshAhead && now - latest.at > this.options.maxAgeMs / 2)
        this.refresh().catch(() => undefined);
      return latest;
    }
    const failure = this.failure;
    if (failure && now - failure.at < (this.options.failureMemoMs ?? DEFAULT_FAILURE_MEMO_MS))
      throw failure.error;
    return this.refresh();
  }

  private refresh(): Promise<Dated<T>> {
    this.inflight ??= this.start().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async start(): Promise<Dated<T>> {
    const at = this.options.now();
    try {
      const dated = { value: await this.read(at), at: at.getTime() };
      if (!this.latest || dated.at >= this.latest.at) this.latest = dated;
      this.failure = undefined;
      return dated;
    } catch (error) {
      this.failure = { at: this.options.now().getTime(), error };
      throw error;
    }
  }
}
