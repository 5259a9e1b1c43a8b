import { tooManyRequests } from "../errors";
import { RateLimiter, type RateLimit } from "../rate-limiter";
import type { CallerIdentity } from "../identity";
import { clientAddress } from "./client-address";
import { requireWithinLimit } from "./context";

/** Who a listing is charged to: a signed-in user, or else the address it came from. */
export type ListingPayer = { user: string } | { address: string };

/** Listings one payer may have running at once: each is charged only once it is known. */
const MAX_CONCURRENT_LISTINGS = 4;
/** A signed-in user's listings count against them, anyone else's against their address. */
export function listingPayer(
  caller: CallerIdentity | null,
  headers: Headers,
): ListingPayer | undefined {
  if (caller?.isAuthenticated && caller.userId) return { user: caller.userId };
  const address = clientAddress(headers);
  return address === undefined ? undefined : { address };
}

/** Many people can share an address (an office, a carrier's NAT): it gets four users' worth. */
const ADDRESS_SHARE = 4;

/** What a budget's refusals name: the request field at fault, and what was asked for too often. */
export interface ListingBudgetLabels {
  /** @default "channels" */
  field?: string;
  /** @default "subscriber listings" */
  what?: string;
}

/**
 * How much one payer may have listed per second: subscribers by `/event-subscribers`, or any
 * answer whose size is known only once it is made (a chat history). It is charged afterwards,
 * into debt if need be (one listing of a big cluster can cost several seconds' budget); the
 * payer's next listing waits until the debt is repaid. Concurrent listings, which would all pass
 * before the first is charged, are limited to a few per payer.
 */
export class ListingBudget {
  private readonly users: RateLimiter;
  private readonly addresses: RateLimiter;
  private readonly running = new Map<string, number>();
  private readonly field: string;
  private readonly what: string;

  constructor(limit: RateLimit, labels: ListingBudgetLabels = {}) {
    this.field = labels.field ?? "channels";
    this.what = labels.what ?? "subscriber listings";
    this.users = new RateLimiter(limit);
    this.addresses = new RateLimiter({
      perSecond: limit.perSecond * ADDRESS_SHARE,
      burst: limit.burst * ADDRESS_SHARE,
    });
  }

  /** Refuses (429 naming the field) or starts a listing; call the result with its size. */
  begin(payer: ListingPayer): (listed: number) => void {
    const [limiter, key] =
      "user" in payer ? [this.users, payer.user] : [this.addresses, payer.address];
    const running = this.running.get(key) ?? 0;
    if (running >= MAX_CONCURRENT_LISTINGS)
      throw tooManyRequests(this.field, `${this.what} at once`, 1000);
    requireWithinLimit(limiter, key, this.field, this.what);
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
