import { env } from "@/lib/env";
import { createDemoServices } from "@/app/_server/demo-services";
import { createAdminServices } from "@/app/admin/_server/admin-services";
import { ADMIN_CHANNEL } from "@/lib/admin/admin-channel";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import {
  createServerEventsHandlers,
  ServerEventsError,
  type ServerEvents,
  type ServerEventsHandlers,
} from "@/lib/server-events";
import { getAdminOverview, subscriptionHandles } from "@/app/admin/_server/admin-instance";
import { getCredentialVersions } from "@/db/credential-versions";
import { createCallerResolver } from "@/lib/next/identity";
import { isAcceptingStreams, trackInFlight } from "@/lib/next/lifecycle";
import { logger, withRequestLog } from "@/lib/next/logger";
import { getAppServices } from "./app-services";
import { CREDENTIALS_CHANNEL, SERVER_ONLY_ROLE } from "./credential-changes";

const globalCache = globalThis as unknown as { __serverEventsHandlers?: ServerEventsHandlers };

/** The provider, or 503 while it cannot start (its database or Redis is unreachable). */
function appServices(): ReturnType<typeof getAppServices> {
  return getAppServices().catch((error: unknown) => {
    throw new ServerEventsError("unavailable", "The server is starting: try again shortly", {
      cause: error,
      retryAfterMs: 2000,
    });
  });
}

let serverEventsReady: Promise<ServerEvents> | undefined;

/**
 * The provider, as one promise kept once it is up: every stream and heartbeat asks for it, and a
 * fresh chain of promises per request is work for nothing. A failed start is not kept (the next
 * request tries again).
 */
function readyServerEvents(): Promise<ServerEvents> {
  serverEventsReady ??= appServices().then(
    (services) => services.serverEvents,
    (error: unknown) => {
      serverEventsReady = undefined;
      throw error;
    },
  );
  return serverEventsReady;
}

const demoServices = createDemoServices({
  // The provider's: asked for when a service needs it, once the provider is up.
  history: async () => (await appServices()).history,
  adminToken: env.SSE_ADMIN_TOKEN,
  maxChatLength: env.SSE_MAX_CHAT_LENGTH,
  historyChannelsPerHour: env.SSE_CHAT_CHANNELS_PER_HOUR,
  onReset: (caller) =>
    logger.warn(
      { event: "admin_action", action: "reset", by: caller?.userName ?? "SSE_ADMIN_TOKEN" },
      "server events reset",
    ),
});

const adminServices = createAdminServices({
  overview: getAdminOverview,
  handles: subscriptionHandles,
  log: logger,
});

/**
 * One set of handlers per process, made by whichever bundle asks first (`npm start`'s Node server
 * or the route handlers Next bundled) and cached on globalThis like the provider: the stream
 * count and the rate limits are the instance's, not one bundle's. Not under `next dev`, which has
 * one bundle and must pick up edited code on reload.
 */
const core =
  env.NODE_ENV === "development"
    ? createCore()
    : (globalCache.__serverEventsHandlers ??= createCore());

function createCore(): ServerEventsHandlers {
  return createServerEventsHandlers({
    serverEvents: readyServerEvents,
    // A session from before its password changed is no one (db/credential-versions.ts).
    resolveIdentity: createCallerResolver({
      isCurrentSession: (user) =>
        getCredentialVersions().isCurrent(user.id, user.credentialVersion),
    }),
    services: { ...demoServices, ...adminServices },
    // The dashboard's channel: its reports are for admins, and nobody else may speak on it. The
    // credential changes are the server's own: no caller holds the role.
    restrictedChannels: { [ADMIN_CHANNEL]: ADMIN_ROLE, [CREDENTIALS_CHANNEL]: SERVER_ONLY_ROLE },
    onError: (error) => logger.error({ err: error }, "unexpected error"),
    publishRateLimit: publishRateLimit(env.SSE_PUBLISH_RATE_PER_SECOND),
    subscriberListRateLimit: subscriberListRateLimit(env.SSE_SUBSCRIBERS_LISTED_PER_SECOND),
    isAcceptingStreams,
    streamLimits: {
      perInstance: env.SSE_MAX_STREAMS || null,
      perCaller: env.SSE_MAX_STREAMS_PER_USER || null,
      perAddress: env.SSE_MAX_STREAMS_PER_ADDRESS || null,
      opens: streamOpenRates(env.SSE_STREAM_OPENS_PER_SECOND),
    },
  });
}

function publishRateLimit(perSecond: number) {
  return perSecond === 0 ? null : { perSecond, burst: perSecond * 2 };
}

function subscriberListRateLimit(perSecond: number) {
  return perSecond === 0 ? null : { perSecond, burst: perSecond * 2.5 };
}

/** Per caller as set; a cookieless address (many clients behind one NAT) gets four times that. */
function streamOpenRates(perSecond: number) {
  if (perSecond === 0) return null;
  return {
    perCaller: { perSecond, burst: perSecond * 10 },
    perAddress: { perSecond: perSecond * 4, burst: perSecond * 40 },
  };
}

/**
 * The core's Fetch handlers with request logging; route files export these. Requests that change
 * something are tracked, so that a shutdown lets them finish before it stops the provider.
 */
export const serverEventsHandlers = {
  context: core.context,
  stream: withRequestLog("event-stream", core.stream),
  heartbeat: withRequestLog("event-heartbeat", core.heartbeat, true),
  unregister: withRequestLog("event-unregister", trackInFlight(core.unregister)),
  subscribers: withRequestLog("event-subscribers", core.subscribers),
  updateSubscriber: withRequestLog("event-subscribers/{id}", trackInFlight(core.updateSubscriber)),
  service: withRequestLog("api/{operation}", trackInFlight(core.service)),
};

/**
 * Route files for `/channels/{channel}/…`: the service gets the request as it came and the
 * channel from the path as a route value (it wins over the query and the body).
 */
export function channelService(operation: string) {
  return async (request: Request, { params }: { params: Promise<{ channel: string }> }) => {
    const { channel } = await params;
    return serverEventsHandlers.service(request, operation, { channel });
  };
}
