import type { CallerIdentity, IdentityResolver } from "../identity";
import type { ServerEvents } from "../server-events";
import type { SubscriptionInfo } from "../subscription";
import { constantTimeEqual } from "../constant-time";
import { ServerEventsError, subscriptionNotFound, tooManyRequests } from "../errors";
import type { RateLimiter } from "../rate-limiter";
import type { ListingBudget } from "./listing-budget";
import { assertPrintable } from "../wire/validate";
import type { RestrictedChannels } from "./channel-access";
import type { StreamQuota } from "./stream-quota";
import type { RequestHead } from "./request-head";
import type { OtherSiteCheck } from "./same-origin";
import { pathnameOf } from "./url-parts";

export interface HandlerContext {
  /** The provider; may be created lazily (a cluster provider connects on first use). */
  serverEvents: () => Promise<ServerEvents>;
  resolveIdentity: IdentityResolver;
  /** A 403 for a request another site's page sent (see `otherSiteCheck`); every endpoint asks. */
  fromOtherSite: OtherSiteCheck;
  /**
   * Publishing and channel changes (per signed-in user or guest, else per subscription; guests'
   * and cookieless ones per address too); `null` turns one off.
   */
  limits: {
    publish: RateLimiter | null;
    channelChanges: RateLimiter | null;
    /** Channel changes of guests and cookieless subscriptions, per address. */
    channelChangesPerAddress: RateLimiter | null;
    /** Subscribers listed by `/event-subscribers`, per signed-in user or else per address. */
    listings: ListingBudget | null;
  };
  /** Channels only callers with a role may use (see `requireChannelAccess`). @default none */
  restrictedChannels?: RestrictedChannels | undefined;
  /** False while the instance shuts down: new streams get 503 and go elsewhere. */
  isAcceptingStreams: () => boolean;
  /** This instance's open streams, in all and per caller, against their limits. */
  streams: StreamQuota;
}

/**
 * The key a signed-in user (`user:{userId}`) or a guest (`guest:{sessionId}`) is counted under,
 * the same for a caller and for the subscriptions it opens (they carry its `userId` and
 * `sessionId`); `undefined` for a cookieless anonymous caller, whom each use counts otherwise.
 */
export function callerKey(
  who: Pick<CallerIdentity, "isAuthenticated" | "userId" | "sessionId">,
): string | undefined {
  if (who.isAuthenticated) return `user:${who.userId}`;
  if (who.sessionId) return `guest:${who.sessionId}`;
  return undefined;
}

/** A shutting-down instance refuses new streams, so a load balancer or the client tries another. */
export function requireAcceptingStreams(context: HandlerContext): void {
  if (!context.isAcceptingStreams())
    throw new ServerEventsError("unavailable", "This instance is shutting down: connect again", {
      retryAfterMs: 1000,
    });
}

/**
 * Ownership (docs/protocol.md, "Ownership"): a subscription opened by a signed-in user may only be
 * pulsed, unregistered, re-channelled or published as by that same user, and one opened with a
 * guest cookie only by a request carrying that cookie. Cookieless anonymous subscriptions
 * (ServiceStack's own clients) are guarded by their unguessable id alone, as in ServiceStack.
 */
export async function requireAccess(
  context: HandlerContext,
  request: RequestHead,
  events: ServerEvents,
  id: string,
): Promise<SubscriptionInfo> {
  // Ids are looked up in Postgres and Redis too, which refuse NUL and unpaired surrogates.
  const info = await events.getSubscriptionInfo(assertPrintable(id, "id"));
  if (!info) throw subscriptionNotFound(id);
  if (!info.isAuthenticated && info.sessionId === null) return info;
  const caller = await context.resolveIdentity(request);
  const allowed = info.isAuthenticated
    ? caller?.isAuthenticated === true && caller.userId === info.userId
    : caller?.isAuthenticated === false &&
      typeof caller.sessionId === "string" &&
      constantTimeEqual(caller.sessionId, info.sessionId!);
  if (!allowed)
    throw new ServerEventsError("forbidden", `Access to Subscription '${id}' is forbidden`, {
      field: "id",
    });
  return info;
}

/** Takes one token from each of `keys`' buckets, or none of them and throws the 429. */
export function requireWithinLimit(
  limiter: RateLimiter | null,
  keys: string | readonly string[],
  field: string,
  what: string,
  cost = 1,
): void {
  const all = typeof keys === "string" ? [keys] : keys;
  requireWithinLimits(
    all.map((key) => [limiter, key] as const),
    field,
    what,
    cost,
  );
}

/** The same over buckets of several limiters: a token from each, or none and the 429. */
export function requireWithinLimits(
  charges: readonly (readonly [RateLimiter | null, string])[],
  field: string,
  what: string,
  cost = 1,
): void {
  const live = charges.filter((charge): charge is readonly [RateLimiter, string] => !!charge[0]);
  // One request may spend at most a whole burst: a larger cost could never be paid.
  const chargeOf = (limiter: RateLimiter) => Math.min(cost, limiter.limit.burst);
  const waitMs = Math.max(0, ...live.map(([limiter, key]) => limiter.wait(key, chargeOf(limiter))));
  if (waitMs > 0) throw tooManyRequests(field, what, waitMs);
  for (const [limiter, key] of live) limiter.take(key, chargeOf(limiter));
}

export async function requireSignedInIfLimited(
  context: HandlerContext,
  request: RequestHead,
  events: ServerEvents,
): Promise<CallerIdentity | null> {
  const caller = await context.resolveIdentity(request);
  if (events.options.limitToAuthenticatedUsers && !caller?.isAuthenticated)
    throw new ServerEventsError("unauthorized", "Sign in to use Server Events");
  return caller;
}

/**
 * An endpoint answers at its configured path only: moved elsewhere or turned off (`null`), its
 * default route answers 404. `withId` is for `/event-subscribers/{id}`.
 */
export function requireEndpointAt(
  path: string | null,
  endpoint: string,
  request: RequestHead,
  withId = false,
): void {
  requireEnabled(path, endpoint);
  const pathname = pathnameOf(request.url);
  const matches = withId ? pathname.startsWith(`${path}/`) : pathname === path;
  if (!matches)
    throw new ServerEventsError("not_found", `The ${endpoint} endpoint is at ${path}`, {
      field: "path",
    });
}

export function requireEnabled(path: string | null, endpoint: string): void {
  if (path === null)
    throw new ServerEventsError("not_found", `The ${endpoint} endpoint is turned off`, {
      field: "path",
    });
}
