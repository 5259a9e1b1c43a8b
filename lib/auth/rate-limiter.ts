export interface RateLimiterOptions {
  /** Events per key within `windowMs` that trigger a block. */
  limit: number;
  /** How far back events count. */
  windowMs: number;
  /** How long a key stays blocked, counted from the event that reached `limit`. @default windowMs */
  blockMs?: number;
  /**
   * Keys remembered at most; beyond that the least recently counted key is forgotten (unblocked
   * keys first), so a flood of made-up names or addresses cannot exhaust memory.
   * @default 10_000
   */
  maxKeys?: number;
  /** The clock, injectable for tests. @default Date.now */
  now?: () => number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Entry {
  /** Times of the events still inside the window, oldest first; never more than `limit`. */
  hits: number[];
  blockedUntil: number;
}

const ALLOWED: RateLimitVerdict = { allowed: true };

/**
 * Counts events per key (failed sign-ins per name, accounts created per address) in a sliding
 * window and blocks a key for `blockMs` once it reaches `limit`. Blocked keys are not counted
 * further: the cool-down runs from the event that reached the limit, and more attempts during it
 * do not prolong it. In-memory, so per process — each instance of a cluster counts on its own.
 */
export class RateLimiter {
  readonly #entries = new Map<string, Entry>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #blockMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#limit = Math.max(1, Math.floor(options.limit));
    this.#windowMs = options.windowMs;
    this.#blockMs = options.blockMs ?? options.windowMs;
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** Whether `key` may go ahead now, without counting anything. */
  check(key: string): RateLimitVerdict {
    const entry = this.#entries.get(key);
    if (!entry) return ALLOWED;
    const now = this.#now();
    if (entry.blockedUntil > now) return { allowed: false, retryAfterMs: entry.blockedUntil - now };
    if (this.#isStale(entry, now)) this.#entries.delete(key);
    return ALLOWED;
  }

  /** Counts one event for `key`; the verdict says whether it is blocked now. */
  hit(key: string): RateLimitVerdict {
    const now = this.#now();
    const entry = this.#entries.get(key) ?? { hits: [], blockedUntil: 0 };
    if (entry.blockedUntil > now) return { allowed: false, retryAfterMs: entry.blockedUntil - now };
    entry.hits = entry.hits.filter((at) => at > now - this.#windowMs);
    entry.hits.push(now);
    if (entry.hits.length >= this.#limit) {
      entry.blockedUntil = now + this.#blockMs;
      entry.hits = [];
    }
    // Re-inserting keeps the map ordered by last event, oldest first, for eviction.
    this.#entries.delete(key);
    this.#makeRoom(now);
    this.#entries.set(key, entry);
    return this.check(key);
  }

  /** Forgets `key`'s events and any block on it. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  #isStale(entry: Entry, now: number): boolean {
    return entry.blockedUntil <= now && entry.hits.every((at) => at <= now - this.#windowMs);
  }

  #makeRoom(now: number): void {
    if (this.#entries.size < this.#maxKeys) return;
    for (const [key, entry] of this.#entries)
      if (this.#isStale(entry, now)) this.#entries.delete(key);
    if (this.#entries.size < this.#maxKeys) return;
    // Still full of live keys: forget the least recently counted one, sparing blocked keys so that
    // a flood of new keys cannot be used to lift a block early.
    let victim: string | undefined;
    for (const [key, entry] of this.#entries) {
      victim ??= key;
      if (entry.blockedUntil <= now) {
        victim = key;
        break;
      }
    }
    if (victim !== undefined) this.#entries.delete(victim);
  }
}
