import { RateLimiter, tooManyRequests, type RateLimit } from "@/lib/server-events";

const HOUR_MS = 60 * 60 * 1000;

/** Pairs of sender and channel remembered at most: a few megabytes. */
const MAX_REMEMBERED = 100_000;

/**
 * How many distinct channels one sender may write chat history into: `perHour`, all at once if
 * need be. History keeps a bounded number of channels and forgets the one written least
 * recently first, so without this one guest could post a line to each of a thousand fresh
 * channels and wipe every quiet channel's history for everyone. Writing again to a channel the
 * sender wrote to within the hour is free, so nobody chatting in their usual channels notices.
 * Senders are `publisherKeys`: a user or guest, and for guests and cookieless callers their
 * address too. In memory, per process, like the publish budget.
 */
export class HistoryChannelBudget {
  private readonly limiter: RateLimiter;
  /** `key channel` → when it last wrote there; oldest first, for forgetting. */
  private readonly written = new Map<string, number>();

  constructor(
    perHour: number,
    private readonly now: () => number = Date.now,
  ) {
    const limit: RateLimit = { perSecond: perHour / 3600, burst: perHour };
    this.limiter = new RateLimiter(limit, now);
  }

  /**
   * Charges each sender key for `channel` unless it wrote there within the hour.
   * @throws ServerEventsError 429 naming `channel` when one of them has no channel left to start
   */
  require(keys: readonly string[], channel: string): void {
    const now = this.now();
    const fresh = keys.filter(
      (key) => (this.written.get(`${key} ${channel}`) ?? -Infinity) <= now - HOUR_MS,
    );
    const waitMs = Math.max(0, ...fresh.map((key) => this.limiter.wait(key)));
    if (waitMs > 0) throw tooManyRequests("channel", "new channels from you", waitMs);
    for (const key of fresh) this.limiter.take(key);
    for (const key of keys) this.remember(`${key} ${channel}`, now);
  }

  private remember(pair: string, now: number): void {
    this.written.delete(pair);
    this.written.set(pair, now);
    if (this.written.size <= MAX_REMEMBERED) return;
    // Forgetting a pair can only charge it again later, never let anyone past the limit.
    const [oldest] = this.written.keys();
    if (oldest !== undefined) this.written.delete(oldest);
  }
}
