import { RateLimiter, type RateLimiterOptions, type RateLimitVerdict } from "./rate-limiter";

/**
 * Counts attempts per key (rate-limiter.ts's rule), wherever they are kept: in this process, or
 * in the app's database (db/auth-attempts.ts), so that every instance of a cluster counts in one
 * place and an attacker cannot multiply the limit by the number of instances.
 */
export interface AttemptCounter {
  /** Whether `key` may go ahead now, without counting anything. */
  check(key: string): Promise<RateLimitVerdict>;
  /** Counts one attempt for `key`; the verdict says whether it is blocked now. */
  hit(key: string): Promise<RateLimitVerdict>;
  /** Forgets `key`'s attempts and any block on it. */
  reset(key: string): Promise<void>;
}

/** Makes the counter for one kind of attempt (`scope`, such as `signin:name`) under `options`. */
export type AttemptCounters = (scope: string, options: RateLimiterOptions) => AttemptCounter;

/** Counters in this process's memory: right for one instance, N times the limit for N. */
export const inMemoryAttemptCounters: AttemptCounters = (_scope, options) => {
  const limiter = new RateLimiter(options);
  return {
    check: (key) => Promise.resolve(limiter.check(key)),
    hit: (key) => Promise.resolve(limiter.hit(key)),
    reset: (key) => Promise.resolve(limiter.reset(key)),
  };
};
