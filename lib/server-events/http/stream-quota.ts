import { ServerEventsError } from "../errors";
import { RateLimiter, type RateLimit } from "../rate-limiter";

export interface StreamLimits {
  /**
   * Streams this instance holds open at once. Past it a new stream gets 503 with `Retry-After`, so
   * a load balancer or the client's retry goes to another instance. `null`: no limit.
   * @default null
   */
  perInstance?: number | null;
  /**
   * Streams one signed-in user, or one guest cookie, holds open on this instance. Past it, 429:
   * one browser cannot take an instance's capacity for itself. `null`: no limit.
   * @default 50
   */
  perCaller?: number | null;
  /**
   * Streams of callers with neither a session nor a guest cookie (ServiceStack's own clients, and
   * scripts that leave the cookie out) from one address. Past it, 429. The address comes from
   * `X-Forwarded-For`, which only a proxy in front makes trustworthy. `null`: no limit.
   * @default 200
   */
  perAddress?: number | null;
  /**
   * New streams one caller, or one cookieless address, may open (429 past it). Every open sends
   * onJoin to each channel it names, and a dropped stream onLeave: without this, a loop that opens
   * and drops streams would flood channels with presence frames, which the channel-change limit
   * never sees. `null` turns both off.
   * @default { perCaller: { perSecond: 5, burst: 50 }, perAddress: { perSecond: 20, burst: 200 } }
   */
  opens?: { perCaller: RateLimit | null; perAddress: RateLimit | null } | null;
}

export const defaultStreamLimits = {
  perInstance: null,
  perCaller: 50,
  perAddress: 200,
  opens: { perCaller: { perSecond: 5, burst: 50 }, perAddress: { perSecond: 20, burst: 200 } },
} as const;

/** Who a stream counts against: a signed-in user or guest, or, for neither, their address. */
export type StreamOwner = { caller: string } | { address: string };

/** When a refused stream may try again: long enough for a tab to close, short enough to notice. */
const RETRY_AFTER_MS = 2000;

/**
 * Counts the open event streams of this instance, in all, per caller and per cookieless address,
 * and refuses one past any limit before anything is registered or announced.
 */
export class StreamQuota {
  private open = 0;
  private readonly openByOwner = new Map<string, number>();
  private readonly refusals = { perInstance: 0, perCaller: 0, perAddress: 0, openRate: 0 };
  private readonly limits: Omit<Required<StreamLimits>, "opens">;
  private readonly opens: { caller: RateLimiter | null; address: RateLimiter | null };

  constructor(limits: StreamLimits = {}, now: () => number = Date.now) {
    this.limits = {
      perInstance: limits.perInstance ?? defaultStreamLimits.perInstance,
      perCaller: limits.perCaller === undefined ? defaultStreamLimits.perCaller : limits.perCaller,
      perAddress:
        limits.perAddress === undefined ? defaultStreamLimits.perAddress : limits.perAddress,
    };
    const opens = limits.opens === undefined ? defaultStreamLimits.opens : limits.opens;
    const limiter = (rate: RateLimit | null | undefined) =>
      rate ? new RateLimiter(rate, now) : null;
    this.opens = { caller: limiter(opens?.perCaller), address: limiter(opens?.perAddress) };
  }

  get openStreams(): number {
    return this.open;
  }

  /** Streams refused since start, by the limit that refused them (for /metrics). */
  get refused(): Readonly<{
    perInstance: number;
    perCaller: number;
    perAddress: number;
    openRate: number;
  }> {
    return this.refusals;
  }

  /**
   * Counts one stream of `owner` (null: nothing to count it by), or throws the 503 or 429.
   * `openedFrom`, when given, is also charged for the open, whoever the owner is (a guest's
   * address: cookies are free to mint). Returns its release, which only its first call performs.
   */
  acquire(owner: StreamOwner | null, openedFrom?: string): () => void {
    const { perInstance } = this.limits;
    if (perInstance !== null && this.open >= perInstance) {
      this.refusals.perInstance++;
      throw new ServerEventsError(
        "unavailable",
        `This instance already holds its maximum of ${perInstance} event streams: connect again shortly`,
        { retryAfterMs: RETRY_AFTER_MS },
      );
    }
    const key =
      owner === null ? null : "caller" in owner ? `c:${owner.caller}` : `a:${owner.address}`;
    const held = key === null ? 0 : (this.openByOwner.get(key) ?? 0);
    if (owner !== null) this.refuseOverOwnLimit(owner, held);
    this.refuseOverOpenRate(owner, openedFrom);
    this.open++;
    if (key !== null) this.openByOwner.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      if (key === null) return;
      const left = (this.openByOwner.get(key) ?? 1) - 1;
      if (left > 0) this.openByOwner.set(key, left);
      else this.openByOwner.delete(key);
    };
  }

  private refuseOverOpenRate(owner: StreamOwner | null, openedFrom: string | undefined): void {
    const byCaller = owner !== null && "caller" in owner;
    const address =
      openedFrom ?? (owner !== null && "address" in owner ? owner.address : undefined);
    // Both buckets are checked before either is charged: a refusal costs nothing.
    const callerWaitMs = byCaller ? (this.opens.caller?.wait(`c:${owner.caller}`) ?? 0) : 0;
    const addressWaitMs =
      address === undefined ? 0 : (this.opens.address?.wait(`a:${address}`) ?? 0);
    const waitMs = Math.max(callerWaitMs, addressWaitMs);
    if (waitMs === 0) {
      if (byCaller) this.opens.caller?.take(`c:${owner.caller}`);
      if (address !== undefined) this.opens.address?.take(`a:${address}`);
      return;
    }
    this.refusals.openRate++;
    const [limiter, from] =
      callerWaitMs >= addressWaitMs
        ? [this.opens.caller!, "you"]
        : [this.opens.address!, "your address"];
    throw new ServerEventsError(
      "too_many_requests",
      `Too many new event streams: at most ${limiter.limit.perSecond} a second from ${from}; try again in ${Math.ceil(waitMs / 1000)} s`,
      { retryAfterMs: waitMs },
    );
  }

  private refuseOverOwnLimit(owner: StreamOwner, held: number): void {
    const byCaller = "caller" in owner;
    const limit = byCaller ? this.limits.perCaller : this.limits.perAddress;
    if (limit === null || held < limit) return;
    if (byCaller) this.refusals.perCaller++;
    else this.refusals.perAddress++;
    throw new ServerEventsError(
      "too_many_requests",
      byCaller
        ? `Too many event streams: you already have ${held} open here; close a tab or connection first`
        : `Too many event streams from your address without a session or guest cookie: ${held} are open here`,
      { retryAfterMs: RETRY_AFTER_MS },
    );
  }
}
