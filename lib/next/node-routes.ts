import type { IncomingMessage, ServerResponse } from "node:http";
import { createServerEventsNodeHandler, type NodeServiceRoute } from "@/lib/server-events-node";
import { readEnv } from "@/lib/env";
import { endpointPaths } from "./endpoint-paths";
import { serverEventsHandlers } from "./handlers";
import { handleAvatar } from "./avatars";
import { handleHealthz, handleReadyz } from "./health";
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
  const serverEvents = createServerEventsNodeHandler({
    handlers: serverEventsHandlers,
    onError: (error) => logger.error({ err: error }, "unexpected error"),
    serviceRoutes: channelRoutes,
    paths: endpointPaths(readEnv()),
    onResponse: ({ route, request, status, ms }) => {
      if (lightRoutes.has(route))
        logRequest(route, request, status, ms, route === "event-heartbeat");
    },
  });
  return (req, res) => serveHealth(req, res) || serveAvatar(req, res) || serverEvents(req, res);
}

/** `/avatars/{key}.svg` (lib/next/avatars.ts): every member list asks for a few of them. */
function serveAvatar(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?", 1)[0] ?? "";
  if (!path.startsWith("/avatars/") || (req.method !== "GET" && req.method !== "HEAD"))
    return false;
  const response = handleAvatar(path.slice("/avatars/".length));
  void response.text().then((body) => {
    res
      .writeHead(response.status, Object.fromEntries(response.headers))
      .end(req.method === "HEAD" ? undefined : body);
  });
  return true;
}

/** `/healthz` and `/readyz` (lib/next/health.ts), straight from Node: probes come every few seconds. */
function serveHealth(req: IncomingMessage, res: ServerResponse): boolean {
  const path = req.url?.split("?", 1)[0];
  if (path !== "/healthz" && path !== "/readyz") return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return true;
  }
  const answer = path === "/healthz" ? Promise.resolve(handleHealthz()) : handleReadyz();
  answer
    .then(async (response) => {
      const body = req.method === "HEAD" ? "" : await response.text();
      res.writeHead(response.status, Object.fromEntries(response.headers)).end(body);
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, "health check failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  return true;
}
