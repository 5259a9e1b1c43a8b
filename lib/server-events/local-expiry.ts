import { isExpired } from "./local-delivery";
import type { ResolvedServerEventsOptions } from "./options";
import type { ServerEventsStats } from "./stats";
import type { Subscription, SubscriptionInfo } from "./subscription";
import type { SubscriptionIndex } from "./subscription-index";

/**
 * Heartbeats and idle expiry of local subscriptions: a pulse keeps one alive (and answers it with
 * an onHeartbeat frame), and a sweep, on a timer and after pulses, makes those idle past the
 * timeout leave through `leave`.
 */
export class LocalExpiry {
  private housekeepingTimer: ReturnType<typeof setInterval> | undefined;
  private lastSweepAt = 0;

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly options: ResolvedServerEventsOptions,
    private readonly counters: Pick<ServerEventsStats, "heartbeats" | "expiredSubscriptions">,
    private readonly leave: (sub: Subscription) => Promise<SubscriptionInfo | null>,
  ) {}

  /** Sweeps every `houseKeepingIntervalMs` until `stop`; starting twice keeps one timer. */
  start(): void {
    this.housekeepingTimer ??= setInterval(() => {
      this.removeExpiredSubscriptions().catch((error: unknown) => this.options.onError(error));
    }, this.options.houseKeepingIntervalMs);
    this.housekeepingTimer.unref?.();
  }

  stop(): void {
    clearInterval(this.housekeepingTimer);
    this.housekeepingTimer = undefined;
  }

  /** False when there is no such local subscription (any more): the client then reconnects. */
  async pulse(id: string): Promise<boolean> {
    const sub = this.index.get(id);
    if (!sub) return false;
    const now = this.options.now();
    // ServiceStack sweeps before the lookup: an expired subscription answers 404, not 200.
    if (this.isExpired(sub, now)) {
      await this.leave(sub);
      return false;
    }
    sub.lastPulseAt = now;
    this.counters.heartbeats++;
    if (!sub.writePrivate("cmd.onHeartbeat", sub.metaJson())) {
      await this.leave(sub);
      return false;
    }
    // Another subscription's clean-up must never fail this heartbeat: sweep in the background.
    if (now - this.lastSweepAt > this.options.houseKeepingIntervalMs)
      this.removeExpiredSubscriptions().catch((error: unknown) => this.options.onError(error));
    return true;
  }

  /** Removes subscriptions idle past the timeout; returns how many it removed. */
  async removeExpiredSubscriptions(): Promise<number> {
    const now = (this.lastSweepAt = this.options.now());
    const expired = [...this.index.all()].filter((sub) => this.isExpired(sub, now));
    const results = await Promise.allSettled(expired.map((sub) => this.leave(sub)));
    let removed = 0;
    for (const result of results)
      if (result.status === "rejected") this.options.onError(result.reason);
      else if (result.value !== null) removed++;
    this.counters.expiredSubscriptions += removed;
    return removed;
  }

  private isExpired(sub: Subscription, now: number): boolean {
    return isExpired(sub, now, this.options.idleTimeoutMs);
  }
}
