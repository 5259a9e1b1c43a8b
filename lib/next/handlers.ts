import { env } from "@/lib/env";
import { createDemoServices } from "@/app/_server/demo-services";
import { createAdminServices } from "@/app/admin/_server/admin-services";
import { ADMIN_CHANNEL } from "@/lib/admin/admin-channel";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import {
  createServerEventsHandlers,
  ServerEventsError,
  withRouteArgs,
  type ServerEventsHandlers,
  type ServiceHandler,
} from "@/lib/server-events";
import { getAdminOverview, subscriptionHandles } from "./admin";
import { resolveCaller } from "./identity";
import { isAcceptingStreams, trackInFlight } from "./lifecycle";
import { logger, withRequestLog } from "./logger";
import { getAppServices } from "./server-events";

type DemoServices = ReturnType<typeof createDemoServices>;
const globalCache = globalThis as unknown as {
  __serverEventsDemoServices?: Promise<DemoServices>;
  __serverEventsHandlers?: ServerEventsHandlers;
};

/** Built once, on first use: they need the provider's chat history (and the env). */
function demoServicesOnce(): Promise<DemoServices> {
  globalCache.__serverEventsDemoServices ??= appServices().then(
    ({ history }) =>
      createDemoServices({
        history,
        adminToken: env.SSE_ADMIN_TOKEN,
        maxChatLength: env.SSE_MAX_CHAT_LENGTH,
        onReset: (caller) =>
          logger.warn(
            { event: "admin_action", action: "reset", by: caller?.userName ?? "SSE_ADMIN_TOKEN" },
            "server events reset",
          ),
      }),
    (error: unknown) => {
      // Not cached: the next request tries again once the database is back.
      globalCache.__serverEventsDemoServices = undefined;
      throw error;
    },
  );
  return globalCache.__serverEventsDemoServices;
}

/** The provider, or 503 while it cannot start (its database or Redis is unreachable). */
function appServices(): ReturnType<typeof getAppServices> {
  return getAppServices().catch((error: unknown) => {
    throw new ServerEventsError("unavailable", "The server is starting: try again shortly", {
      cause: error,
      retryAfterMs: 2000,
    });
  });
}

const demoServices: Record<string, ServiceHandler> = Object.fromEntries(
  [
    "PostChatToChannel",
    "PostRawToChannel",
    "PostObjectToChannel",
    "GetChatHistory",
    "ResetServerEvents",
  ].map((name) => [
    name,
    async (request: Request, context: Parameters<ServiceHandler>[1]) =>
      (await demoServicesOnce())[name]!(request, context),
  ]),
);

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
    serverEvents: async () => (await appServices()).serverEvents,
    resolveIdentity: resolveCaller,
    services: { ...demoServices, ...adminServices },
    // The dashboard's channel: its reports are for admins, and nobody else may speak on it.
    restrictedChannels: { [ADMIN_CHANNEL]: ADMIN_ROLE },
    onError: (error) => logger.error({ err: error }, "unexpected error"),
    publishRateLimit: publishRateLimit(env.SSE_PUBLISH_RATE_PER_SECOND),
    isAcceptingStreams,
    streamLimits: {
      perInstance: env.SSE_MAX_STREAMS || null,
      perCaller: env.SSE_MAX_STREAMS_PER_USER || null,
      perAddress: env.SSE_MAX_STREAMS_PER_ADDRESS || null,
    },
  });
}

function publishRateLimit(perSecond: number) {
  return perSecond === 0 ? null : { perSecond, burst: perSecond * 2 };
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
 * Route files for `/channels/{channel}/…`: the service gets the request as it came, with the
 * channel from the path attached as a route value (it wins over the query and the body).
 */
export function channelService(operation: string) {
  return async (request: Request, { params }: { params: Promise<{ channel: string }> }) => {
    const { channel } = await params;
    return serverEventsHandlers.service(withRouteArgs(request, { channel }), operation);
  };
}
