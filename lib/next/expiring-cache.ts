/**
 * A bounded map whose entries expire: at most `maxEntries` (the oldest insert goes first), each
 * for at most its own deadline. Used where a lookup is expensive (decrypting a session cookie)
 * and repeats often (a heartbeat every 10 s per tab).
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, unless it is missing or past its deadline (then it is dropped). */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.entries.delete(key);
    if (expiresAt <= this.now()) return;
    // Map iterates in insertion order: the first key is the oldest insert.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt });
  }

  /** Shortens (never extends) an entry's life, e.g. once a token's own expiry is known. */
  expireBy(key: string, expiresAt: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (expiresAt <= this.now()) this.entries.delete(key);
    else entry.expiresAt = Math.min(entry.expiresAt, expiresAt);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
