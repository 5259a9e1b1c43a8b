import { ServerEventsError } from "../errors";
import { anonymousIdentity, type IdentityResolver } from "../identity";
import { ListingBudget } from "./listing-budget";
import { RateLimiter, type RateLimit } from "../rate-limiter";
import type { ServerEvents } from "../server-events";
import type { RestrictedChannels } from "./channel-access";
import { otherSiteCheck, sameOriginOnly } from "./same-origin";
import type { ServerEventsPaths } from "../options";
import { requireEndpointAt, type HandlerContext } from "./context";
import type { RouteValues } from "./request-args";
import { errorResponse, withErrors } from "./responses";
import { handleEventStream, withStreamHeaders } from "./stream-handler";
import { StreamQuota, type StreamLimits } from "./stream-quota";
import {
  handleGetSubscribers,
  handleHeartbeat,
  handleUnregister,
  handleUpdateSubscriber,
} from "./subscription-handlers";

/** A service; `route` holds the values of its route's path (`/channels/{channel}/chat`). */
export type ServiceHandler = (
  request: Request,
  context: HandlerContext,
  route: RouteValues,
) => Promise<Response>;

export interface ServerEventsHandlersOptions {
  serverEvents: ServerEvents | (() => Promise<ServerEvents>);
  /**
   * Who is calling; plug the app's auth in here. Requests that another site's page made a browser
   * send are refused (403) before it runs: see {@link otherSiteCheck}.
   * @default every caller is anonymous
   */
  resolveIdentity?: IdentityResolver;
  /**
   * Origins besides this site's own whose pages may call these endpoints with a visitor's cookies
   * (`https://app.example.com`), for a host that serves them CORS headers itself.
   * @default none
   */
  trustedOrigins?: readonly string[];
  /** Extra ServiceStack-style services reachable at `/api/{name}` and `/json/reply/{name}`. */
  services?: Record<string, ServiceHandler>;
  /** Where unexpected errors are reported. @default console.error */
  onError?: (error: unknown) => void;
  /**
   * Messages one signed-in user, one guest, or else one subscription may publish through the
   * services (429 past it). Generous: a benchmark publisher legitimately sends 1,000 a second.
   * `null` turns it off.
   * @default { perSecond: 1000, burst: 2000 }
   */
  publishRateLimit?: RateLimit | null;
  /**
   * Channel changes one signed-in user, one guest, or else one subscription may make (each one
   * sends onUpdate to every channel it is in, so they cost far more than a message); guests and
   * cookieless subscriptions from one address share ten times that. `null` turns it off.
   * @default { perSecond: 1, burst: 20 }
   */
  channelChangeRateLimit?: RateLimit | null;
  /**
   * Whether new streams are welcome; a shutting-down server returns false, and new streams get
   * 503 with `Retry-After` while the open ones drain. @default always true
   */
  isAcceptingStreams?: () => boolean;
  /**
   * Channels only callers holding a role may stream, list or publish to (403 naming the field),
   * e.g. `{ "server-events.admin": "admin" }` for an operators' channel. Services that publish
   * check it with `requireChannelAccess`. @default none: every channel is open
   */
  restrictedChannels?: RestrictedChannels;
  /**
   * How many event streams this instance holds open, in all (503 past it), per signed-in user or
   * guest and per cookieless address (429 past either), and how fast new ones may open.
   * @default `defaultStreamLimits` in ./stream-quota.ts
   */
  streamLimits?: StreamLimits;
  /**
   * How many subscribers `/event-subscribers` (and `GetEventSubscribers`) may list to one signed-in
   * user per second (an address: four times that), at most four listings at once; an unfiltered
   * listing of a full instance is megabytes of JSON. `null` turns it off.
   * @default 20,000 a second, bursts of 50,000
   */
  subscriberListRateLimit?: RateLimit | null;
}

const defaultPublishRateLimit: RateLimit = { perSecond: 1000, burst: 2000 };
const defaultChannelChangeRateLimit: RateLimit = { perSecond: 1, burst: 20 };
const defaultSubscriberListRateLimit: RateLimit = { perSecond: 20_000, burst: 50_000 };

const scaled = (limit: RateLimit, factor: number): RateLimit => ({
  perSecond: limit.perSecond * factor,
  burst: limit.burst * factor,
});

function limiter(limit: RateLimit | null | undefined, fallback: RateLimit): RateLimiter | null {
  return limit === null ? null : new RateLimiter(limit ?? fallback);
}

export interface ServerEventsHandlers {
  stream: (request: Request) => Promise<Response>;
  heartbeat: (request: Request) => Promise<Response>;
  unregister: (request: Request) => Promise<Response>;
  subscribers: (request: Request) => Promise<Response>;
  updateSubscriber: (request: Request, id: string) => Promise<Response>;
  /** `/api/{operation}` and `/json/reply/{operation}`, matched case-insensitively. */
  service: (request: Request, operation: string, route?: RouteValues) => Promise<Response>;
  context: HandlerContext;
}

/** Fetch-standard handlers (`Request` → `Response`) for every Server Events endpoint. */
export function createServerEventsHandlers(
  options: ServerEventsHandlersOptions,
): ServerEventsHandlers {
  const { serverEvents } = options;
  const fromOtherSite = otherSiteCheck(options.trustedOrigins);
  const context: HandlerContext = {
    serverEvents:
      typeof serverEvents === "function" ? serverEvents : () => Promise.resolve(serverEvents),
    resolveIdentity: sameOriginOnly(options.resolveIdentity ?? anonymousIdentity, fromOtherSite),
    fromOtherSite,
    limits: {
      publish: limiter(options.publishRateLimit, defaultPublishRateLimit),
      channelChanges: limiter(options.channelChangeRateLimit, defaultChannelChangeRateLimit),
      channelChangesPerAddress: limiter(
        options.channelChangeRateLimit && scaled(options.channelChangeRateLimit, 10),
        scaled(defaultChannelChangeRateLimit, 10),
      ),
      listings:
        options.subscriberListRateLimit === null
          ? null
          : new ListingBudget(options.subscriberListRateLimit ?? defaultSubscriberListRateLimit),
    },
    isAcceptingStreams: options.isAcceptingStreams ?? (() => true),
    restrictedChannels: options.restrictedChannels,
    streams: new StreamQuota(options.streamLimits),
  };
  const onError = options.onError ?? ((error: unknown) => console.error("[server-events]", error));
  const services = new Map<string, ServiceHandler>(
    Object.entries({
      GetEventSubscribers: (request: Request) => handleGetSubscribers(context, request),
      UpdateEventSubscriber: (request: Request) => handleUpdateSubscriber(context, request),
      UnRegisterEventSubscriber: (request: Request) => handleUnregister(context, request),
      ...options.services,
    }).map(([name, handler]) => [name.toLowerCase(), handler]),
  );
  // HEAD is GET without a body to a host (Next answers it with the GET export), but a GET here
  // may subscribe, change channels or publish: HEAD does none of that.
  const wrap = <A extends unknown[]>(
    handler: (request: Request, ...args: A) => Promise<Response>,
  ) =>
    withErrors((request: Request, ...args: A) => {
      const refused = fromOtherSite(request);
      if (refused) throw refused;
      if (request.method === "HEAD") throw headNotAllowed();
      return handler(request, ...args);
    }, onError);
  /** A route-level endpoint: it answers only at the path the provider's options give it. */
  const at = <A extends unknown[]>(
    endpoint: string,
    path: (paths: ServerEventsPaths) => string | null,
    handler: (request: Request, ...args: A) => Promise<Response>,
    withId = false,
  ) =>
    wrap(async (request: Request, ...args: A) => {
      const { options } = await context.serverEvents();
      requireEndpointAt(path(options), endpoint, request, withId);
      return handler(request, ...args);
    });

  const stream = at(
    "stream",
    (p) => p.streamPath,
    (request) => handleEventStream(context, request),
  );
  return {
    context,
    // A HEAD of the stream (a link checker, a proxy's probe) sees its headers; nothing subscribes.
    stream: (request) =>
      request.method === "HEAD"
        ? withErrors(streamHead(context), onError)(request)
        : stream(request),
    heartbeat: at(
      "heartbeat",
      (p) => p.heartbeatPath,
      (request) => handleHeartbeat(context, request),
    ),
    unregister: at(
      "unregister",
      (p) => p.unRegisterPath,
      (request) => handleUnregister(context, request),
    ),
    subscribers: at(
      "subscribers",
      (p) => p.subscribersPath,
      (request) => handleGetSubscribers(context, request),
    ),
    updateSubscriber: at(
      "update subscriber",
      (p) => p.updateSubscriberPath,
      (request, id: string) => handleUpdateSubscriber(context, request, id),
      true,
    ),
    service: wrap(async (request, operation: string, route: RouteValues = {}) => {
      const handler = services.get(operation.toLowerCase());
      if (!handler)
        throw new ServerEventsError("not_found", `Unknown service '${operation}'`, {
          field: "operation",
        });
      return handler(request, context, route);
    }),
  };
}

function headNotAllowed(): ServerEventsError {
  return new ServerEventsError(
    "method_not_allowed",
    "HEAD is not supported here: use GET or POST",
    {
      field: "method",
    },
  );
}

/** The stream's headers for HEAD, at the stream's path only, with nothing registered. */
function streamHead(context: HandlerContext) {
  return async (request: Request): Promise<Response> => {
    const { options } = await context.serverEvents();
    requireEndpointAt(options.streamPath, "stream", request, false);
    return new Response(null, { headers: withStreamHeaders(new Headers()) });
  };
}

export { errorResponse };
