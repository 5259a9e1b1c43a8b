import type { CallerIdentity, IdentityResolver } from "../identity";
import type { ServerEvents } from "../server-events";
import type { SubscriptionInfo } from "../subscription";
import { ServerEventsError, subscriptionNotFound } from "../errors";

export interface HandlerContext {
  /** The provider; may be created lazily (a cluster provider connects on first use). */
  serverEvents: () => Promise<ServerEvents>;
  resolveIdentity: IdentityResolver;
}

/**
 * Ownership (protocol.md Part A §4): a subscription opened by a signed-in user may only be pulsed,
 * unregistered or re-channelled by that same user. Anonymous subscriptions are guarded by their
 * unguessable id alone, as in ServiceStack.
 */
export async function requireAccess(
  context: HandlerContext,
  request: Request,
  events: ServerEvents,
  id: string,
): Promise<SubscriptionInfo> {
  const info = await events.getSubscriptionInfo(id);
  if (!info) throw subscriptionNotFound(id);
  if (info.isAuthenticated) {
    const caller = await context.resolveIdentity(request);
    if (!caller?.isAuthenticated || caller.userId !== info.userId)
      throw new ServerEventsError("forbidden", `Access to Subscription '${id}' is forbidden`, {
        field: "id",
      });
  }
  return info;
}

export async function requireSignedInIfLimited(
  context: HandlerContext,
  request: Request,
  events: ServerEvents,
): Promise<CallerIdentity | null> {
  const caller = await context.resolveIdentity(request);
  if (events.options.limitToAuthenticatedUsers && !caller?.isAuthenticated)
    throw new ServerEventsError("unauthorized", "Sign in to use Server Events");
  return caller;
}

/** A path set to `null` in the options turns its endpoint off. */
export function requireEnabled(path: string | null, endpoint: string): void {
  if (path === null)
    throw new ServerEventsError("not_found", `The ${endpoint} endpoint is turned off`, {
      field: "path",
    });
}
