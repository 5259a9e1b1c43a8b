import { ServerEventsError } from "../errors";

export interface StreamLimits {
  /**
   * Streams this instance holds open at once. Past it a new stream gets 503 with `Retry-After`, so
   * a load balancer or the client's retry goes to another instance. `null`: no limit.
   * @default null
   */
  perInstance?: number | null;
  /**
   * Streams one signed-in user, or one guest cookie, holds open on this instance. Past it, 429:
   * one browser cannot take an instance's capacity for itself. Cookieless anonymous clients
   * (ServiceStack's own) have nothing to count by and meet `perInstance` only. `null`: no limit.
   * @default 50
   */
  perCaller?: number | null;
}

export const defaultStreamLimits = { perInstance: null, perCaller: 50 } as const;

/** When a refused stream may try again: long enough for a tab to close, short enough to notice. */
const RETRY_AFTER_MS = 2000;

/**
 * Counts the open event streams of this instance, in all and per caller, and refuses one past
 * either limit before anything is registered or announced.
 */
export class StreamQuota {
  private open = 0;
  private readonly refusals = { perInstance: 0, perCaller: 0 };
  private readonly openByCaller = new Map<string, number>();
  private readonly perInstance: number | null;
  private readonly perCaller: number | null;

  constructor(limits: StreamLimits = {}) {
    this.perInstance = limits.perInstance ?? defaultStreamLimits.perInstance;
    this.perCaller =
      limits.perCaller === undefined ? defaultStreamLimits.perCaller : limits.perCaller;
  }

  get openStreams(): number {
    return this.open;
  }

  /** Streams refused since start, by the limit that refused them (for /metrics). */
  get refused(): Readonly<{ perInstance: number; perCaller: number }> {
    return this.refusals;
  }

  /**
   * Counts one stream of `caller` (null: not countable per caller), or throws the 503 or 429.
   * Returns its release, which only its first call performs.
   */
  acquire(caller: string | null): () => void {
    if (this.perInstance !== null && this.open >= this.perInstance) {
      this.refusals.perInstance++;
      throw new ServerEventsError(
        "unavailable",
        `This instance already holds its maximum of ${this.perInstance} event streams: connect again shortly`,
        { retryAfterMs: RETRY_AFTER_MS },
      );
    }
    const held = caller === null ? 0 : (this.openByCaller.get(caller) ?? 0);
    if (caller !== null && this.perCaller !== null && held >= this.perCaller) {
      this.refusals.perCaller++;
      throw new ServerEventsError(
        "too_many_requests",
        `Too many event streams: you already have ${held} open here; close a tab or connection first`,
        { retryAfterMs: RETRY_AFTER_MS },
      );
    }
    this.open++;
    if (caller !== null) this.openByCaller.set(caller, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      if (caller === null) return;
      const left = (this.openByCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.openByCaller.set(caller, left);
      else this.openByCaller.delete(caller);
    };
  }
}
