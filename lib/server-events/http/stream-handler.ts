import { defaultProfileUrl, safeDisplayName } from "../identity";
import { invalidArgument } from "../errors";
import { createEventStream } from "../event-stream-sink";
import { Subscription } from "../subscription";
import { createSubscriptionId } from "../subscription-id";
import { parseChannelList } from "../wire/validate";
import { requireEnabled, requireSignedInIfLimited, type HandlerContext } from "./context";
import { eventStreamHeaders, requestOrigin, userAddressOf } from "./responses";

/**
 * `GET /event-stream?channels=a,b`: ServiceStack's order — onInit, auth, headers flushed at once,
 * then onCreated, onConnect and registration (onConnect frame, replay, onSubscribe, onJoin).
 * @see docs/protocol.md, "Endpoints" and "Replay"
 */
export async function handleEventStream(
  context: HandlerContext,
  request: Request,
): Promise<Response> {
  const events = await context.serverEvents();
  const { options } = events;
  requireEnabled(options.streamPath, "stream");
  const caller = await requireSignedInIfLimited(context, request, events);
  const denied = await options.onInit?.(request);
  if (denied) return denied;
  const url = new URL(request.url);
  const channelParams = [
    ...url.searchParams.getAll("channel"),
    ...url.searchParams.getAll("channels"),
  ];
  const channels = parseChannelList(channelParams, "channels");
  const lastEventId = parseLastEventId(
    request.headers.get("last-event-id") || url.searchParams.get("lastEventId") || undefined,
  );

  const anonNumber = await events.getNextSequence("anonUser");
  const displayName = safeDisplayName(caller ?? { isAuthenticated: false }, anonNumber);
  const id = createSubscriptionId();
  const unregister = () => {
    events.unRegister(id).catch((error: unknown) => options.onError(error));
  };
  const { stream, sink } = createEventStream(options.maxBufferedBytes, unregister);
  const isAuthenticated = caller?.isAuthenticated === true;
  const subscription = new Subscription(
    {
      id,
      userId: (isAuthenticated && caller?.userId) || `-${anonNumber}`,
      userName: caller?.userName ?? null,
      displayName,
      sessionId: caller?.sessionId ?? null,
      isAuthenticated,
      profileUrl: caller?.profileUrl ?? defaultProfileUrl(displayName),
      createdAt: options.now(),
      userAddress: userAddressOf(request),
      channels: channels.length > 0 ? channels : ["*"],
      connectArgs: {},
      serverArgs: {},
    },
    sink,
  );
  const metaBeforeCreated = { ...subscription.meta };
  await options.onCreated?.(subscription, request);
  const connectArgs = {
    ...metaBeforeCreated,
    ...subscription.connectArgs,
    id,
    ...connectUrls(requestOrigin(request), id, options),
    heartbeatIntervalMs: String(options.heartbeatIntervalMs),
    idleTimeoutMs: String(options.idleTimeoutMs),
  };
  await options.onConnect?.(subscription, connectArgs);

  request.signal.addEventListener("abort", unregister, { once: true });
  // Gone during the awaits above: close now so registration announces nothing.
  if (request.signal.aborted) sink.close();
  // Registration may wait on a database; the headers go out now, the frames as they are written.
  events
    .register(subscription, connectArgs, { lastEventId })
    .then(() => {
      if (request.signal.aborted) unregister();
    })
    .catch((error: unknown) => {
      options.onError(error, subscription);
      sink.close();
      unregister();
    });
  return new Response(stream, { headers: eventStreamHeaders });
}

function connectUrls(
  origin: string,
  id: string,
  paths: {
    heartbeatPath: string | null;
    unRegisterPath: string | null;
    updateSubscriberPath: string | null;
  },
): Record<string, string> {
  const urls: Record<string, string> = {};
  const query = `?id=${encodeURIComponent(id)}`;
  if (paths.unRegisterPath !== null)
    urls.unRegisterUrl = `${origin}${paths.unRegisterPath}${query}`;
  if (paths.heartbeatPath !== null) urls.heartbeatUrl = `${origin}${paths.heartbeatPath}${query}`;
  if (paths.updateSubscriberPath !== null)
    urls.updateSubscriberUrl = `${origin}${paths.updateSubscriberPath}/${encodeURIComponent(id)}`;
  return urls;
}

function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,16}$/u.test(value) || !Number.isSafeInteger(Number(value)))
    throw invalidArgument(
      "Last-Event-ID",
      `'Last-Event-ID' must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  return Number(value);
}
