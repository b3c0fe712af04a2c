// Alert episodes the intake already handled, so an HA pair's second delivery is answered as a
// duplicate without signalling anything. Bounded in size and age; the incident workflow ignores a
// repeated episode anyway (same evaluatedAt), so forgetting one is harmless.
export class SeenAlerts {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 24 * 3_600_000,
  ) {}

  /** Claims `key`; false when it was claimed already (and not forgotten). */
  claim(key: string, nowMs: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > nowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, nowMs + this.ttlMs);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  /** Gives a claim back, when handling the alert failed and Alertmanager will send it again. */
  release(key: string): void {
    this.seen.delete(key);
  }
}
