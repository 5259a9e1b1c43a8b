import type { AttemptVerdict } from "./attempt-window";
import {
  AttemptLimiter,
  type AttemptLimiterOptions,
  type RateLimitVerdict,
} from "./attempt-limiter";

/**
 * Counts attempts per key (attempt-limiter.ts's rule), wherever they are kept: in this process, or
 * in the app's database (db/auth-attempts.ts), so that every instance of a cluster counts in one
 * place and an attacker cannot multiply the limit by the number of instances.
 */
export interface AttemptCounter {
  /** Whether `key` may go ahead now, without counting anything. */
  check(key: string): Promise<RateLimitVerdict>;
  /**
   * Counts an attempt for `key` unless it is blocked, in one atomic step, before the attempt is
   * judged: concurrent attempts can never all pass a check made before any of them was counted.
   */
  attempt(key: string): Promise<AttemptVerdict>;
  /** Takes back the attempt counted at `at`: it turned out not to be a failure. */
  forgive(key: string, at: number): Promise<void>;
  /** Forgets `key`'s attempts and any block on it. */
  reset(key: string): Promise<void>;
}

/** Makes the counter for one kind of attempt (`scope`, such as `signin:name`) under `options`. */
export type AttemptCounters = (scope: string, options: AttemptLimiterOptions) => AttemptCounter;

/** Counters in this process's memory: right for one instance, N times the limit for N. */
export const inMemoryAttemptCounters: AttemptCounters = (_scope, options) => {
  const limiter = new AttemptLimiter(options);
  return {
    check: (key) => Promise.resolve(limiter.check(key)),
    attempt: (key) => Promise.resolve(limiter.attempt(key)),
    forgive: (key, at) => Promise.resolve(limiter.forgive(key, at)),
    reset: (key) => Promise.resolve(limiter.reset(key)),
  };
};
