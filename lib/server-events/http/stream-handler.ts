import { safeDisplayName, type CallerIdentity } from "../identity";
import type { ServerEvents } from "../server-events";
import { invalidArgument } from "../errors";
import { createEventStream, type EventStreamTransport } from "../event-stream-sink";
import { Subscription } from "../subscription";
import { createSubscriptionId } from "../subscription-id";
import { endOfTurn } from "../flush-scheduler";
import { parseChannelList } from "../wire/validate";
import { endOfStreamRetryHint, streamLifetimeMs } from "../options";
import { requireChannelAccess, requireRestrictedAlone } from "./channel-access";
import {
  callerKey,
  requireAcceptingStreams,
  requireEnabled,
  requireSignedInIfLimited,
  type HandlerContext,
} from "./context";
import { toFetchRequest, type HandlerRequest } from "./request-head";
import { eventStreamHeaders, requestOrigin, userAddressOf } from "./responses";
import type { StreamOwner } from "./stream-quota";
import { clientAddress } from "./client-address";
import { queryOf } from "./url-parts";

/**
 * `GET /event-stream?channels=a,b` on a Fetch server: the frames go out through a `ReadableStream`.
 * @see openEventStream
 */
export async function handleEventStream(
  context: HandlerContext,
  request: Request,
): Promise<Response> {
  return openEventStream(context, request, fetchTransport(request.signal));
}

/** A `Response` over a `ReadableStream`; the request's signal tells when the subscriber left. */
function fetchTransport(signal: AbortSignal): EventStreamTransport<Response> {
  let stream: ReadableStream<Uint8Array> | undefined;
  return {
    open(maxBufferedBytes, onGone) {
      const created = createEventStream(maxBufferedBytes, onGone);
      stream = created.stream;
      signal.addEventListener("abort", onGone, { once: true });
      return created.sink;
    },
    get isGone() {
      return signal.aborted;
    },
    respond: (extraHeaders) =>
      new Response(stream, {
        headers: extraHeaders ? withStreamHeaders(extraHeaders) : eventStreamHeaders,
      }),
  };
}

/**
 * `GET /event-stream?channels=a,b` over any transport: ServiceStack's order — onInit, auth, headers
 * flushed at once, then onCreated, onConnect and registration (onConnect frame, replay, onSubscribe,
 * onJoin). Answers with what `transport.respond()` returns, or with a refusal as a `Response`.
 * @see docs/protocol.md, "Endpoints" and "Replay"
 */
export async function openEventStream<R>(
  context: HandlerContext,
  request: HandlerRequest,
  transport: EventStreamTransport<R>,
): Promise<R | Response> {
  const events = await context.serverEvents();
  const { options } = events;
  requireEnabled(options.streamPath, "stream");
  requireAcceptingStreams(context);
  const caller = await requireSignedInIfLimited(context, request, events);
  // Headers only for an onInit to add to: every stream would otherwise build an empty one.
  const extraHeaders = options.onInit ? new Headers() : undefined;
  if (options.onInit && extraHeaders) {
    const denied = await options.onInit(toFetchRequest(request), extraHeaders);
    if (denied) return denied;
  }
  const query = queryOf(request.url);
  const channelParams = [...query.getAll("channel"), ...query.getAll("channels")];
  const channels = parseChannelList(channelParams, "channels");
  await requireChannelAccess(context, request, channels, "subscribe to", "channels", caller);
  requireRestrictedAlone(context, channels, "channels");
  const lastEventId = parseLastEventId(
    request.headers.get("last-event-id") || query.get("lastEventId") || undefined,
  );
  const address = clientAddress(request.headers);
  // Guests cost nothing to mint: their opens count against their address too, as cookieless
  // ones do. An account cannot be minted so (sign-ups are limited per address).
  const releaseStream = context.streams.acquire(
    streamOwnerOf(caller, address),
    caller?.isAuthenticated ? undefined : address,
  );
  try {
    return await openCountedStream(request, transport, {
      events,
      caller,
      channels,
      lastEventId,
      extraHeaders,
      releaseStream,
    });
  } catch (error) {
    releaseStream();
    throw error;
  }
}

/**
 * Who a stream counts against: a signed-in user, a guest by their cookie, or else the address
 * (the one the nearest proxy saw, not the left-most X-Forwarded-For entry a client may write).
 */
function streamOwnerOf(
  caller: CallerIdentity | null,
  address: string | undefined,
): StreamOwner | null {
  const key = caller ? callerKey(caller) : undefined;
  if (key !== undefined) return { caller: key };
  return address ? { address } : null;
}

interface CheckedStream {
  events: ServerEvents;
  caller: CallerIdentity | null;
  channels: string[];
  lastEventId: number | undefined;
  extraHeaders: Headers | undefined;
  /** Gives the stream's place in the quota back; runs when its subscription closes. */
  releaseStream: () => void;
}

/** The stream once every check passed: the subscription is created, registered and answered. */
async function openCountedStream<R>(
  request: HandlerRequest,
  transport: EventStreamTransport<R>,
  { events, caller, channels, lastEventId, extraHeaders, releaseStream }: CheckedStream,
): Promise<R | Response> {
  const { options } = events;

  // A host that knows its anonymous visitor (a guest cookie) may name them itself, as a
  // ServiceStack session with a UserAuthId but no sign-in does: then no number is drawn.
  const isNamedByHost = Boolean(caller?.userId && (caller.userName || caller.displayName));
  const anonNumber = isNamedByHost ? 0 : await events.getNextSequence("anonUser");
  const displayName = safeDisplayName(caller ?? { isAuthenticated: false }, anonNumber);
  const id = createSubscriptionId();
  const unregister = () => {
    releaseStream();
    events.unRegister(id).catch((error: unknown) => options.onError(error));
  };
  const sink = transport.open(options.maxBufferedBytes, unregister);
  const isAuthenticated = caller?.isAuthenticated === true;
  const subscription = new Subscription(
    {
      id,
      userId: caller?.userId || `-${anonNumber}`,
      userName: caller?.userName ?? null,
      displayName,
      sessionId: caller?.sessionId ?? null,
      isAuthenticated,
      profileUrl: caller?.profileUrl ?? options.profileUrlOf(displayName),
      createdAt: options.now(),
      userAddress: userAddressOf(request),
      channels: channels.length > 0 ? channels : ["*"],
      connectArgs: {},
      serverArgs: {},
    },
    sink,
  );
  subscription.onClose = releaseStream;
  const metaBeforeCreated = { ...subscription.meta };
  try {
    // Hooks are awaited only when there are some: each await is a promise, and Next's async
    // context tracking pays for every promise in the process.
    if (options.onCreated) await options.onCreated(subscription, toFetchRequest(request));
    const connectArgs = {
      ...metaBeforeCreated,
      ...subscription.connectArgs,
      id,
      ...connectUrls(requestOrigin(request), id, options),
      heartbeatIntervalMs: String(options.heartbeatIntervalMs),
      idleTimeoutMs: String(options.idleTimeoutMs),
    };
    if (options.onConnect) await options.onConnect(subscription, connectArgs);
    // Gone during the awaits above: close now so registration announces nothing.
    if (transport.isGone) sink.close();
    // Registration may wait on a database; the headers go out by the end of this turn at the
    // latest, the frames as they are written. The memory provider registers within the turn, so
    // the head, onConnect and the joiner's own onJoin leave in one write instead of two.
    const registered = events
      .register(subscription, connectArgs, { lastEventId })
      .then(() => {
        if (transport.isGone) return unregister();
        if (subscription.isClosed) return;
        const lifetimeMs = streamLifetimeMs(options);
        if (lifetimeMs !== null)
          subscription.scheduleEnd(lifetimeMs, () => {
            subscription.endWithRetryHint(endOfStreamRetryHint(options));
            unregister();
          });
      })
      .catch((error: unknown) => {
        options.onError(error, subscription);
        sink.close();
        unregister();
      });
    await Promise.race([registered, endOfTurn()]);
  } catch (error) {
    // A hook refused the stream: its error becomes the answer, and the unsent stream is dropped.
    sink.close();
    throw error;
  }
  return transport.respond(extraHeaders);
}

/** `onInit`'s headers on top of the event-stream ones, which they may not replace. */
export function withStreamHeaders(extraHeaders: Headers): Headers {
  const headers = new Headers(extraHeaders);
  for (const [name, value] of Object.entries(eventStreamHeaders)) headers.set(name, value);
  return headers;
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
