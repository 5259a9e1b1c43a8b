import {
  emptyAttemptWindow,
  forgiveAttempt,
  isStale,
  tryAttempt,
  verdictOf,
  type AttemptRule,
  type AttemptVerdict,
  type AttemptWindow,
} from "./attempt-window";

export interface AttemptLimiterOptions {
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

/** The rule `options` describe, with `limit` at least 1 and `blockMs` defaulting to the window. */
export const attemptRuleOf = (options: AttemptLimiterOptions): AttemptRule => ({
  limit: Math.max(1, Math.floor(options.limit)),
  windowMs: options.windowMs,
  blockMs: options.blockMs ?? options.windowMs,
});

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts events per key (failed sign-ins per name, accounts created per address) in a sliding
 * window and blocks a key for `blockMs` once it reaches `limit`. Blocked keys are not counted
 * further: the cool-down runs from the event that reached the limit, and more attempts during it
 * do not prolong it (see attempt-window.ts). In-memory, so per process: the app counts sign-ins
 * in its database instead when it has one (db/auth-attempts.ts), so that a cluster counts once.
 */
export class AttemptLimiter {
  readonly #entries = new Map<string, AttemptWindow>();
  readonly #rule: AttemptRule;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: AttemptLimiterOptions) {
    this.#rule = attemptRuleOf(options);
    this.#maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** Whether `key` may go ahead now, without counting anything. */
  check(key: string): RateLimitVerdict {
    const entry = this.#entries.get(key);
    if (!entry) return { allowed: true };
    const now = this.#now();
    if (isStale(entry, now, this.#rule)) this.#entries.delete(key);
    return verdictOf(entry, now);
  }

  /** Counts one event for `key`; the verdict says whether it is blocked now. */
  hit(key: string): RateLimitVerdict {
    const verdict = this.attempt(key);
    return verdict.allowed ? verdict.after : verdict;
  }

  /**
   * Counts an attempt for `key` unless it is blocked (refused attempts are not counted), in one
   * step: concurrent attempts can never all pass a check made before any of them was counted.
   */
  attempt(key: string): AttemptVerdict {
    const now = this.#now();
    const { window, verdict } = tryAttempt(
      this.#entries.get(key) ?? emptyAttemptWindow(),
      now,
      this.#rule,
    );
    // Re-inserting keeps the map ordered by last event, oldest first, for eviction.
    this.#entries.delete(key);
    this.#makeRoom(now);
    this.#entries.set(key, window);
    return verdict;
  }

  /** Takes back the attempt counted at `at` (see `forgiveAttempt`). */
  forgive(key: string, at: number): void {
    const entry = this.#entries.get(key);
    if (entry) this.#entries.set(key, forgiveAttempt(entry, at, this.#now(), this.#rule));
  }

  /** Forgets `key`'s events and any block on it. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Keys currently remembered (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  #makeRoom(now: number): void {
    if (this.#entries.size < this.#maxKeys) return;
    for (const [key, entry] of this.#entries)
      if (isStale(entry, now, this.#rule)) this.#entries.delete(key);
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
