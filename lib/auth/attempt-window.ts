import type { RateLimitVerdict } from "./attempt-limiter";

/** How attempts are counted for one key: `limit` within `windowMs` blocks it for `blockMs`. */
export interface AttemptRule {
  limit: number;
  windowMs: number;
  blockMs: number;
}

/** One key's attempts: the ones still inside the window, oldest first, and any block. */
export interface AttemptWindow {
  /** Never more than `limit`; the ones that caused a block are kept until it ends. */
  hits: number[];
  blockedUntil: number;
}

/** An attempt counted (`at`, to forgive it later) and the key's verdict after it, or a refusal. */
export type AttemptVerdict =
  { allowed: true; at: number; after: RateLimitVerdict } | { allowed: false; retryAfterMs: number };

export const emptyAttemptWindow = (): AttemptWindow => ({ hits: [], blockedUntil: 0 });

const ALLOWED: RateLimitVerdict = { allowed: true };

export function verdictOf(window: AttemptWindow, now: number): RateLimitVerdict {
  return window.blockedUntil > now
    ? { allowed: false, retryAfterMs: window.blockedUntil - now }
    : ALLOWED;
}

/**
 * Attempts at or before this moment no longer count: those older than the window, and those
 * that caused a block that has ended (a cool-down is followed by a fresh count).
 */
function countsAfter(window: AttemptWindow, now: number, rule: AttemptRule): number {
  const blockStart = window.blockedUntil > 0 ? window.blockedUntil - rule.blockMs : -Infinity;
  return Math.max(now - rule.windowMs, blockStart);
}

/**
 * The window after one more attempt at `now`. A blocked key is not counted further: the
 * cool-down runs from the attempt that reached the limit, and more attempts during it do not
 * prolong it. Shared by the in-memory limiter and the database's, so both count alike.
 */
export function countAttempt(window: AttemptWindow, now: number, rule: AttemptRule): AttemptWindow {
  if (window.blockedUntil > now) return window;
  const since = countsAfter(window, now, rule);
  const hits = [...window.hits.filter((at) => at > since), now];
  return hits.length >= rule.limit
    ? { hits, blockedUntil: now + rule.blockMs }
    : { hits, blockedUntil: window.blockedUntil };
}

/**
 * The window without the attempt counted at `at` (one that turned out not to be a failure: a
 * right password, an account not created). If it was one of the attempts behind the block in
 * force, the block goes too: without it they no longer reach the limit.
 */
export function forgiveAttempt(
  window: AttemptWindow,
  at: number,
  now: number,
  rule: AttemptRule,
): AttemptWindow {
  const index = window.hits.lastIndexOf(at);
  if (index < 0) return window;
  const hits = window.hits.filter((_, i) => i !== index);
  const behindBlock = window.blockedUntil > now && at <= window.blockedUntil - rule.blockMs;
  return { hits, blockedUntil: behindBlock ? 0 : window.blockedUntil };
}

/** Neither blocked nor holding an attempt that counts: the key can be forgotten. */
export function isStale(window: AttemptWindow, now: number, rule: AttemptRule): boolean {
  const since = countsAfter(window, now, rule);
  return window.blockedUntil <= now && window.hits.every((at) => at <= since);
}

/** Counts an attempt on `window` unless it is blocked; the new window and the verdict. */
export function tryAttempt(
  window: AttemptWindow,
  now: number,
  rule: AttemptRule,
): { window: AttemptWindow; verdict: AttemptVerdict } {
  const before = verdictOf(window, now);
  if (!before.allowed) return { window, verdict: before };
  const counted = countAttempt(window, now, rule);
  return { window: counted, verdict: { allowed: true, at: now, after: verdictOf(counted, now) } };
}
