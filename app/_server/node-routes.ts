import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createServerEventsNodeHandler,
  sendResponse,
  type NodeServiceRoute,
} from "@/lib/server-events-node";
import { env } from "@/lib/env";
import { endpointPaths } from "@/lib/next/endpoint-paths";
import { serverEventsHandlers } from "./handlers";
import { handleAvatar } from "@/lib/next/avatars";
import { handleHealthz, handleReadyz } from "./health";
import { beginInFlight } from "@/lib/next/lifecycle";
import { refuseMalformedPath } from "@/lib/next/malformed-path";
import { logRequest, logger } from "@/lib/next/logger";

/** What app/channels/[channel]/{chat,raw,object,messages}/route.ts serve, on the Node server. */
const channelRoutes: readonly NodeServiceRoute[] = [
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
    paths: endpointPaths(env),
    // Streams are ended on purpose at shutdown; anything else is let finish, body upload included.
    onRequest: (route) => (route === "event-stream" ? undefined : beginInFlight()),
    onResponse: ({ route, request, status, ms }) => {
      if (lightRoutes.has(route))
        logRequest(route, request, status, ms, route === "event-heartbeat");
    },
  });
  return (req, res) =>
    servePlain(req, res) || serverEvents(req, res) || answerMalformedPath(req, res);
}

/** Next would answer a path it cannot decode with a 500: this answers 400 first. */
function answerMalformedPath(req: IncomingMessage, res: ServerResponse): boolean {
  const refusal = refuseMalformedPath(req.url?.split("?", 1)[0] ?? "");
  if (refusal) void sendResponse(res, refusal);
  return refusal !== null;
}

/**
 * Small GETs answered straight from Node with the same Fetch handlers as their route files:
 * probes come every few seconds, and every member list asks for a few avatars.
 */
const plainRoutes: {
  matches: (path: string) => boolean;
  answer: (path: string) => Response | Promise<Response>;
}[] = [
  { matches: (path) => path === "/healthz", answer: () => handleHealthz() },
  { matches: (path) => path === "/readyz", answer: () => handleReadyz() },
  {
    matches: (path) => path.startsWith("/avatars/"),
    answer: (path) => handleAvatar(path.slice("/avatars/".length)),
  },
];

/** Other methods go on to Next, whose route files answer them (405) as before. */
function servePlain(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = req.url?.split("?", 1)[0] ?? "";
  const route = plainRoutes.find((candidate) => candidate.matches(path));
  if (!route) return false;
  // Node leaves the body out of a HEAD answer by itself.
  Promise.resolve(route.answer(path))
    .then((response) => sendResponse(res, response))
    .catch((error: unknown) => {
      logger.error({ err: error, path }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  return true;
}
