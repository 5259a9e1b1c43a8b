import { invalidArgument, subscriptionNotFound } from "../errors";
import { parseChannelList } from "../wire/validate";
import {
  requireAccess,
  requireEnabled,
  requireSignedInIfLimited,
  requireWithinLimits,
  type HandlerContext,
} from "./context";
import {
  hideRestrictedChannels,
  requireChannelAccess,
  requireRestrictedAlone,
} from "./channel-access";
import { listingPayer } from "./listing-budget";
import { publisherKeys } from "./publishing";
import { RequestArgs } from "./request-args";
import { toFetchRequest, type HandlerRequest } from "./request-head";
import { jsonResponse } from "./responses";
import { queryOf } from "./url-parts";

/** `GET|POST /event-heartbeat?id=…`: writes `cmd.onHeartbeat` to the stream, then answers 200. */
export async function handleHeartbeat(
  context: HandlerContext,
  request: HandlerRequest,
): Promise<Response> {
  const events = await context.serverEvents();
  requireEnabled(events.options.heartbeatPath, "heartbeat");
  const { onHeartbeatInit } = events.options;
  const intercepted = onHeartbeatInit && (await onHeartbeatInit(toFetchRequest(request)));
  if (intercepted) return intercepted;
  // Heartbeats carry only `?id=` and an ignored body: no need to read it.
  const id = queryOf(request.url).get("id");
  if (!id) throw invalidArgument("id", "'id' is required");
  await requireAccess(context, request, events, id);
  if (!(await events.pulse(id))) throw subscriptionNotFound(id);
  return new Response(null, { status: 200 });
}

/** `GET|POST /event-unregister?id=…`: 200 with the subscription's Meta, then onLeave to its channels. */
export async function handleUnregister(
  context: HandlerContext,
  request: Request,
): Promise<Response> {
  const events = await context.serverEvents();
  requireEnabled(events.options.unRegisterPath, "unregister");
  const args = await RequestArgs.from(request);
  const id = args.requiredString("id");
  await requireAccess(context, request, events, id);
  // A concurrent unregister may have won the race: only one of them answers 200.
  const removed = await events.unRegister(id);
  if (!removed) throw subscriptionNotFound(id);
  return jsonResponse(removed.meta);
}

/** `GET /event-subscribers?channels=a,b`: public Meta of the members, every subscriber if none given. */
export async function handleGetSubscribers(
  context: HandlerContext,
  request: Request,
): Promise<Response> {
  const events = await context.serverEvents();
  requireEnabled(events.options.subscribersPath, "subscribers");
  const caller = await requireSignedInIfLimited(context, request, events);
  const args = await RequestArgs.from(request);
  const channels = parseChannelList([
    ...(args.list("channel") ?? []),
    ...(args.list("channels") ?? []),
  ]);
  await requireChannelAccess(context, request, channels, "subscribe to", "channels", caller);
  // Charged by what was listed, once known: a full instance's listing is megabytes of JSON.
  const payer = listingPayer(caller, request.headers);
  const settle = payer && context.limits.listings?.begin(payer);
  let details: Record<string, string>[] = [];
  try {
    details =
      channels.length > 0
        ? await events.getSubscriptionsDetails(channels)
        : await events.getAllSubscriptionsDetails();
  } finally {
    settle?.(details.length);
  }
  return jsonResponse(await hideRestrictedChannels(context, request, details, caller));
}

/**
 * `POST /event-subscribers/{id}` and `/api/UpdateEventSubscriber`: unsubscribe first, then subscribe,
 * each step with its own onUpdate. Lists as JSON arrays or comma strings, keys in any case.
 */
export async function handleUpdateSubscriber(
  context: HandlerContext,
  request: Request,
  routeId?: string,
): Promise<Response> {
  const events = await context.serverEvents();
  requireEnabled(events.options.updateSubscriberPath, "update subscriber");
  const args = await RequestArgs.from(request);
  const id = routeId ?? args.requiredString("id");
  const subscribe = args.list("subscribeChannels");
  const unsubscribe = args.list("unsubscribeChannels");
  const subscribeChannels = subscribe && parseChannelList(subscribe, "subscribeChannels");
  const unsubscribeChannels = unsubscribe && parseChannelList(unsubscribe, "unsubscribeChannels");
  const info = await requireAccess(context, request, events, id);
  if (subscribeChannels) {
    await requireChannelAccess(
      context,
      request,
      subscribeChannels,
      "subscribe to",
      "subscribeChannels",
    );
    const kept = info.channels.filter((channel) => !unsubscribeChannels?.includes(channel));
    requireRestrictedAlone(
      context,
      [...new Set([...kept, ...subscribeChannels])],
      "subscribeChannels",
    );
  }
  if (subscribeChannels || unsubscribeChannels) {
    // Each change sends onUpdate to every channel the subscription is in: charged to who makes
    // it, so that opening more subscriptions buys no more, and guests' to their address too.
    const { channelChanges, channelChangesPerAddress } = context.limits;
    const [owner, address] = publisherKeys(info, request);
    requireWithinLimits(
      [
        [channelChanges, owner!],
        ...(address ? [[channelChangesPerAddress, address] as const] : []),
      ],
      "id",
      "channel changes",
    );
  }
  await events.changeChannels(id, {
    unsubscribe: unsubscribeChannels,
    subscribe: subscribeChannels,
  });
  return jsonResponse({});
}
