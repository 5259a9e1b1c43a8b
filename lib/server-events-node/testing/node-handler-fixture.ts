import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";
import {
  createServerEventsHandlers,
  jsonResponse,
  MemoryServerEvents,
  RequestArgs,
  type CallerIdentity,
  type ServerEventsOptions,
  type ServerEventsPaths,
} from "@/lib/server-events";
import { FrameReader } from "@/lib/server-events/testing/frame-reader";
import { settleForwardedFor, type ForwardedForTrust } from "../forwarded-for";
import { createServerEventsNodeHandler, type RequestLogEntry } from "../node-handler";

export interface NodeHandlerFixture {
  readonly events: MemoryServerEvents;
  /** `http://127.0.0.1:<port>` of the `node:http` server in front of the handler. */
  readonly base: string;
  /** Who each `x-user` header value is: a test adds the callers it needs. */
  readonly callers: Map<string, CallerIdentity>;
  /** What the handler's onResponse reported, in order. */
  readonly logged: RequestLogEntry[];
  /** Stops the server and starts it again with other options, paths or forwarded-for trust. */
  restart: (
    options?: ServerEventsOptions,
    paths?: Partial<ServerEventsPaths>,
    trust?: ForwardedForTrust,
  ) => Promise<void>;
  /** Opens a stream with fetch and reads its cmd.onConnect; aborted after the test. */
  connect: (
    query?: string,
    headers?: Record<string, string>,
    path?: string,
  ) => Promise<{
    response: Response;
    frames: FrameReader;
    info: Record<string, string>;
    controller: AbortController;
  }>;
  /** A controller of a request the test made itself, aborted after the test. */
  track: (controller: AbortController) => void;
}

/**
 * The Node handler on a real `node:http` server over a fresh memory provider for each test, with
 * two services (Echo: the arguments as bound; ForwardedFor: the header a service sees), an extra
 * route `/rooms/{room}/echo`, and 418 "passed on" for what the handler does not serve.
 */
export function nodeHandlerPerTest(): NodeHandlerFixture {
  let events: MemoryServerEvents | undefined;
  let server: Server | undefined;
  let base = "";
  const callers = new Map<string, CallerIdentity>();
  const logged: RequestLogEntry[] = [];
  const open: AbortController[] = [];

  async function start(
    options: ServerEventsOptions = {},
    paths?: Partial<ServerEventsPaths>,
    trust?: ForwardedForTrust,
  ): Promise<void> {
    events = new MemoryServerEvents({ onError: () => undefined, ...options });
    await events.start();
    callers.clear();
    logged.length = 0;
    const handlers = createServerEventsHandlers({
      serverEvents: events,
      resolveIdentity: (request) =>
        Promise.resolve(callers.get(request.headers.get("x-user") ?? "") ?? null),
      services: {
        // Echoes its arguments: route arguments, query and body, as the core binds them.
        Echo: async (request, _context, route) =>
          jsonResponse(Object.fromEntries((await RequestArgs.from(request, route)).entries())),
        ForwardedFor: (request) =>
          Promise.resolve(jsonResponse({ forwardedFor: request.headers.get("x-forwarded-for") })),
      },
      onError: (error) => {
        throw error;
      },
    });
    const handle = createServerEventsNodeHandler({
      handlers,
      onError: (error) => {
        throw error;
      },
      serviceRoutes: [{ path: "/rooms/{room}/echo", methods: ["POST"], operation: "Echo" }],
      onResponse: (entry) => logged.push(entry),
      ...(paths ? { paths } : {}),
    });
    const started = createServer((req, res) => {
      if (trust) settleForwardedFor(req, trust);
      if (!handle(req, res)) res.writeHead(418).end("passed on");
    });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  }

  async function stop(): Promise<void> {
    for (const controller of open.splice(0)) controller.abort();
    const running = server;
    if (running) {
      running.closeAllConnections();
      await new Promise((resolve) => running.close(resolve));
    }
    await events?.stop();
  }

  beforeEach(() => start());
  afterEach(stop);

  return {
    get events() {
      return events!;
    },
    get base() {
      return base;
    },
    callers,
    logged,
    async restart(options, paths, trust) {
      await stop();
      await start(options, paths, trust);
    },
    async connect(query = "channels=home", headers = {}, path = "/event-stream") {
      const controller = new AbortController();
      open.push(controller);
      const response = await fetch(`${base}${path}?${query}`, {
        headers,
        signal: controller.signal,
      });
      const frames = new FrameReader(response.body!);
      const info = (await frames.next()).body as Record<string, string>;
      return { response, frames, info, controller };
    },
    track: (controller) => open.push(controller),
  };
}
