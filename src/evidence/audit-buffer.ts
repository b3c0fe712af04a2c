// A buffered writer in front of one audit stream, for records produced on a hot path (every gate
// answer). add() never waits for the disk: entries queue in memory and a background flush appends
// them in batches (one lock, one append per batch). Nothing is lost silently: a failed append keeps
// its entries for the next flush, and when the buffer is full the newest entries are dropped and
// counted, so /metrics can report them. close() stops the timer and writes what is left.
import { appendAudit, type AuditEntry } from './audit';
import type { AuditStream } from './streams';

/** Where a buffer appends when not to files under dataDir: a store (src/store), which it closes on close(). */
export interface AuditSink {
  appendAudit(stream: string, entries: AuditEntry[], secrets?: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

export interface AuditBufferOptions {
  /** Files under this data directory, unless `sink` is given. */
  dataDir: string;
  sink?: AuditSink;
  stream: AuditStream;
  /** Entries held at most; beyond that new ones are dropped (and counted). */
  capacity?: number;
  /** How long an entry may wait before a flush starts. */
  flushDelayMs?: number;
  /** Entries per append. */
  batchSize?: number;
  secrets?: readonly string[];
  /**
   * Each entry's id is new (a random UUID, as every gate record has): the file store then keeps none
   * of them in memory (appendAudit's AppendOptions.freshIds).
   */
  freshIds?: boolean;
  /** Told about a failed append (the entries stay queued). */
  onError?: (err: unknown) => void;
}

export interface AuditBufferStats {
  /** Entries accepted by add(). */
  accepted: number;
  written: number;
  /** Entries refused because the buffer was full. */
  dropped: number;
  failedFlushes: number;
  pending: number;
}

export class AuditBuffer {
  private readonly queue: AuditEntry[] = [];
  private readonly counts = { accepted: 0, written: 0, dropped: 0, failedFlushes: 0 };
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: AuditBufferOptions) {}

  /** Queues an entry; false when it was dropped (buffer full or closed). Never blocks. */
  add(entry: AuditEntry): boolean {
    if (this.closed || this.queue.length >= (this.options.capacity ?? 10_000)) {
      this.counts.dropped++;
      return false;
    }
    this.queue.push(entry);
    this.counts.accepted++;
    this.schedule();
    return true;
  }

  stats(): AuditBufferStats {
    return { ...this.counts, pending: this.queue.length };
  }

  /** Writes everything queued so far; rejects with the append's error (the entries stay queued). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.queue.length === 0) return;
    this.flushing = this.writeQueued().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Stops accepting, then writes what is left. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      await this.options.sink?.close();
    }
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((err: unknown) => {
        this.options.onError?.(err);
        // Try again later: the entries are still queued.
        this.schedule();
      });
    }, this.options.flushDelayMs ?? 200);
    // A pending flush must not keep a finished process alive; close() writes what is left.
    this.timer.unref();
  }

  /**
   * Writes what was queued when the flush began. Entries arriving meanwhile wait for the next flush
   * (add() has scheduled it): writing them in the same loop kept a busy gate appending continuously,
   * a few entries at a time, each append paying the lock, the head record and their system calls
   * (docs/BENCHMARKS.md, run 6).
   */
  private async writeQueued(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    for (let remaining = this.queue.length; remaining > 0;) {
      const batch = this.queue.slice(0, Math.min(batchSize, remaining));
      try {
        if (this.options.sink)
          await this.options.sink.appendAudit(this.options.stream, batch, this.options.secrets);
        else
          await appendAudit(this.options.dataDir, this.options.stream, batch, this.options.secrets, {
            freshIds: this.options.freshIds ?? false,
          });
      } catch (err) {
        this.counts.failedFlushes++;
        throw err;
      }
      this.queue.splice(0, batch.length);
      this.counts.written += batch.length;
      remaining -= batch.length;
    }
  }
}
