import type { RateLimitVerdict } from "./rate-limiter";

/** How attempts are counted for one key: `limit` within `windowMs` blocks it for `blockMs`. */
export interface AttemptRule {
  limit: number;
  windowMs: number;
  blockMs: number;
}

/** One key's attempts: the ones still inside the window, oldest first, and any block. */
export interface AttemptWindow {
  /** Never more than `limit`. */
  hits: number[];
  blockedUntil: number;
}

export const emptyAttemptWindow = (): AttemptWindow => ({ hits: [], blockedUntil: 0 });

const ALLOWED: RateLimitVerdict = { allowed: true };

export function verdictOf(window: AttemptWindow, now: number): RateLimitVerdict {
  return window.blockedUntil > now
    ? { allowed: false, retryAfterMs: window.blockedUntil - now }
    : ALLOWED;
}

/**
 * The window after one more attempt at `now`. A blocked key is not counted further: the
 * cool-down runs from the attempt that reached the limit, and more attempts during it do not
 * prolong it. Shared by the in-memory limiter and the database's, so both count alike.
 */
export function countAttempt(window: AttemptWindow, now: number, rule: AttemptRule): AttemptWindow {
  if (window.blockedUntil > now) return window;
  const hits = [...window.hits.filter((at) => at > now - rule.windowMs), now];
  return hits.length >= rule.limit
    ? { hits: [], blockedUntil: now + rule.blockMs }
    : { hits, blockedUntil: window.blockedUntil };
}

/** Neither blocked nor holding an attempt inside the window: the key can be forgotten. */
export function isStale(window: AttemptWindow, now: number, rule: AttemptRule): boolean {
  return window.blockedUntil <= now && window.hits.every((at) => at <= now - rule.windowMs);
}
