import type { IncomingMessage, ServerResponse } from "node:http";
import { createServerEventsNodeHandler, type NodeServiceRoute } from "@/lib/server-events-node";
import { serverEventsHandlers } from "./handlers";
import { logRequest, logger } from "./logger";

/** What app/channels/[channel]/{chat,raw,object,messages}/route.ts serve, on the Node server. */
export const channelRoutes: readonly NodeServiceRoute[] = [
  { path: "/channels/{channel}/chat", methods: ["POST"], operation: "PostChatToChannel" },
  { path: "/channels/{channel}/raw", methods: ["POST"], operation: "PostRawToChannel" },
  { path: "/channels/{channel}/object", methods: ["POST"], operation: "PostObjectToChannel" },
  { path: "/channels/{channel}/messages", methods: ["GET"], operation: "GetChatHistory" },
];

/** The routes that skip the Fetch handlers (and so their request logs): they log here. */
const lightRoutes = new Set(["event-stream", "event-heartbeat"]);

/**
 * The app's Server Events endpoints on Node's `http` server: the same handlers, identity, demo
 * services and provider as the App Router routes (app/event-*, app/api, app/json, app/channels),
 * minus Next's per-request pipeline. Returns false for every request it does not serve.
 */
export function createAppNodeHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
  return createServerEventsNodeHandler({
    handlers: serverEventsHandlers,
    onError: (error) => logger.error({ err: error }, "unexpected error"),
    serviceRoutes: channelRoutes,
    onResponse: ({ route, request, status, ms }) => {
      if (lightRoutes.has(route))
        logRequest(route, request, status, ms, route === "event-heartbeat");
    },
  });
}
