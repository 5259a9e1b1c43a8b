import { tooManyRequests } from "../errors";
import { RateLimiter, type RateLimit } from "../rate-limiter";
import { requireWithinLimit } from "./context";

/** Who a listing is charged to: a signed-in user, or else the address it came from. */
export type ListingPayer = { user: string } | { address: string };

/** Listings one payer may have running at once: each is charged only once it is known. */
const MAX_CONCURRENT_LISTINGS = 4;
/** Many people can share an address (an office, a carrier's NAT): it gets four users' worth. */
const ADDRESS_SHARE = 4;

/**
 * How many subscribers `/event-subscribers` lists to one payer per second. A listing's size is
 * known only once it is made, so it is charged afterwards, into debt if need be (one listing of
 * a big cluster can cost several seconds' budget); the payer's next listing waits until the
 * debt is repaid. Concurrent listings, which would all pass before the first is charged, are
 * limited to a few per payer.
 */
export class ListingBudget {
  private readonly users: RateLimiter;
  private readonly addresses: RateLimiter;
  private readonly running = new Map<string, number>();

  constructor(limit: RateLimit) {
    this.users = new RateLimiter(limit);
    this.addresses = new RateLimiter({
      perSecond: limit.perSecond * ADDRESS_SHARE,
      burst: limit.burst * ADDRESS_SHARE,
    });
  }

  /** Refuses (429 naming `channels`) or starts a listing; call the result with its size. */
  begin(payer: ListingPayer): (listed: number) => void {
    const [limiter, key] =
      "user" in payer ? [this.users, payer.user] : [this.addresses, payer.address];
    const running = this.running.get(key) ?? 0;
    if (running >= MAX_CONCURRENT_LISTINGS)
      throw tooManyRequests("channels", "subscriber listings at once", 1000);
    requireWithinLimit(limiter, key, "channels", "subscriber listings");
    this.running.set(key, running + 1);
    let settled = false;
    return (listed) => {
      if (settled) return;
      settled = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left > 0) this.running.set(key, left);
      else this.running.delete(key);
      limiter.charge(key, listed);
    };
  }
}
