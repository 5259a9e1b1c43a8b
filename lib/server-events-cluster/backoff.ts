/**
 * Capped exponential backoff with "equal jitter": half the delay fixed, half random, so instances
 * that lost the database together do not all come back in the same millisecond.
 */
export function reconnectDelay(attempt: number, baseMs: number, maxMs: number): number {
  const capped = Math.min(maxMs, baseMs * 2 ** attempt);
  return capped / 2 + Math.random() * (capped / 2);
}
