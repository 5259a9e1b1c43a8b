/** How many actions a key may take: `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per key (a subscription id, an address), in memory. Memory stays bounded: buckets
 * that have refilled completely carry no information and are swept, and past `maxKeys` the oldest
 * bucket is forgotten first (which can only be generous to it, never lock anyone out).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweepAt: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    this.lastSweepAt = now();
  }

  /**
   * Takes one token for `key`. Returns 0 when allowed, otherwise how many milliseconds until a token
   * is available again (nothing is taken then).
   */
  take(key: string, cost = 1): number {
    const waitMs = this.wait(key, cost);
    if (waitMs === 0) this.buckets.get(key)!.tokens -= cost;
    return waitMs;
  }

  /**
   * Charges `cost` after the fact, into debt if need be: for work whose size is known only once
   * done, such as a listing. Later `take`s wait until the debt is repaid.
   */
  charge(key: string, cost: number): void {
    this.refilled(key, this.now()).tokens -= cost;
  }

  /** What `take` would answer, taking nothing: for checking several buckets before charging any. */
  wait(key: string, cost = 1): number {
    const now = this.now();
    this.sweep(now);
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= cost) return 0;
    return Math.ceil(((cost - bucket.tokens) / this.limit.perSecond) * 1000);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.limit.burst, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.perSecond);
    bucket.updatedAt = now;
    return bucket;
  }

  /** Drops buckets that would be full by now; at most once per refill period. */
  private sweep(now: number): void {
    const fullAfterMs = (this.limit.burst / this.limit.perSecond) * 1000;
    if (now - this.lastSweepAt < fullAfterMs) return;
    this.lastSweepAt = now;
    for (const [key, bucket] of this.buckets) {
      const refill = ((now - bucket.updatedAt) / 1000) * this.limit.perSecond;
      if (bucket.tokens + refill >= this.limit.burst) this.buckets.delete(key);
    }
  }
}
