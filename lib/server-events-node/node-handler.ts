import type { IncomingMessage, ServerResponse } from "node:http";
import {
  errorResponse,
  handleHeartbeat,
  invalidArgument,
  type ServerEventsError,
  openEventStream,
  type RequestHead,
  type ServerEventsHandlers,
  defaultPaths,
  type ServerEventsPaths,
} from "@/lib/server-events";
import { createNodeEventStreamTransport } from "./node-event-stream";
import { NodeRequest, toFetchRequestWithBody } from "./node-request";
import { sendResponse } from "./node-response";

/** A service under a path of its own; each `{name}` segment becomes the argument `name`. */
export interface NodeServiceRoute {
  /** E.g. `/channels/{channel}/chat`. */
  path: string;
  methods: readonly string[];
  /** The service's name, as in `/api/{operation}`. */
  operation: string;
}

export interface RequestLogEntry {
  /** The route's name, e.g. `event-heartbeat` or `api/{operation}`. */
  route: string;
  request: RequestHead;
  status: number;
  /** From arrival until the head was written. */
  ms: number;
}

export interface ServerEventsNodeHandlerOptions {
  /** The core's Fetch handlers and their context (`createServerEventsHandlers`). */
  handlers: Pick<
    ServerEventsHandlers,
    | "context"
    | "stream"
    | "heartbeat"
    | "unregister"
    | "subscribers"
    | "updateSubscriber"
    | "service"
  >;
  /** Unexpected errors (answered with a 500 that leaks nothing). */
  onError: (error: unknown) => void;
  /** More services under paths of their own (the demo's `/channels/{channel}/chat`). @default none */
  serviceRoutes?: readonly NodeServiceRoute[];
  /** Called once per answered request, e.g. for request logs. Keep it cheap. @default none */
  onResponse?: (entry: RequestLogEntry) => void;
  /**
   * Called as a request arrives, before its body is read; what it returns is called once the
   * request is answered (a graceful shutdown counts requests in flight with it). @default none
   */
  onRequest?: (route: string) => (() => void) | undefined;
  /**
   * Where the endpoints live: the same paths as the provider's options (which also put them in
   * `cmd.onConnect`); `null` leaves an endpoint out (Next then answers 404).
   * @default ServiceStack's paths (`/event-stream`, `/event-heartbeat`, …)
   */
  paths?: Partial<ServerEventsPaths>;
}

/** Answers with a Response to send, or `undefined` when it wrote to `res` itself (a stream). */
type Answer = (
  req: IncomingMessage,
  res: ServerResponse,
  head: NodeRequest,
) => Promise<Response | undefined>;
interface Route {
  name: string;
  methods: readonly string[];
  /** Path segments; `{name}` matches one segment. */
  segments: readonly string[];
  answer: (params: Map<string, string>) => Answer;
  /**
   * HEAD of a GET route, through the core's Fetch handler, which subscribes, pulses and publishes
   * nothing for it. @default `answer`, when that is a Fetch handler already
   */
  head?: Answer;
}

/**
 * The Server Events endpoints on Node's own `http` server, the way the App Router routes serve
 * them but without Next's per-request pipeline. Returns a listener that answers the requests it
 * knows and returns `false` for every other one (hand those to Next's request handler); wrong
 * methods are passed on too, so Next answers them exactly as before (405).
 */
export function createServerEventsNodeHandler(
  options: ServerEventsNodeHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { handlers, onError, onResponse, onRequest } = options;
  const { context } = handlers;
  const paths = { ...defaultPaths, ...options.paths };
  const withBody =
    (handle: (request: Request) => Promise<Response>): Answer =>
    async (req) =>
      handle(await toFetchRequestWithBody(req));
  const endpoint = (path: string | null, answer: (path: string) => Route) =>
    path === null ? [] : [answer(path)];
  const routes: Route[] = [
    ...endpoint(paths.streamPath, (path) =>
      route(
        "event-stream",
        ["GET"],
        path,
        () => async (_req, res, head) => {
          // Before any await: a client that leaves meanwhile must be seen as gone.
          const transport = createNodeEventStreamTransport(res);
          return (await openEventStream(context, head, transport)) ?? undefined;
        },
        withBody(handlers.stream),
      ),
    ),
    ...endpoint(paths.heartbeatPath, (path) =>
      route(
        "event-heartbeat",
        ["GET", "POST"],
        path,
        () => (_req, _res, head) => handleHeartbeat(context, head),
        withBody(handlers.heartbeat),
      ),
    ),
    ...endpoint(paths.unRegisterPath, (path) =>
      route("event-unregister", ["GET", "POST"], path, () => withBody(handlers.unregister)),
    ),
    ...endpoint(paths.subscribersPath, (path) =>
      route("event-subscribers", ["GET"], path, () => withBody(handlers.subscribers)),
    ),
    ...endpoint(paths.updateSubscriberPath, (path) =>
      route("event-subscribers/{id}", ["POST"], `${path}/{id}`, (params) =>
        withBody((request) => handlers.updateSubscriber(request, params.get("id")!)),
      ),
    ),
    ...["/api/{operation}", "/json/reply/{operation}"].map((path) =>
      route(path.slice(1), ["GET", "POST"], path, (params) =>
        withBody((request) => handlers.service(request, params.get("operation")!)),
      ),
    ),
    ...(options.serviceRoutes ?? []).map((service) =>
      route(service.path.slice(1), service.methods, service.path, (params) =>
        withBody((request) =>
          handlers.service(request, service.operation, Object.fromEntries(params)),
        ),
      ),
    ),
  ];

  const run = async (name: string, answer: Answer, req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    const finished = onRequest?.(name);
    const head = new NodeRequest(req, res);
    let status = 200;
    try {
      const refused = context.fromOtherSite(head);
      const response = refused
        ? errorResponse(refused, onError)
        : await answer(req, res, head).catch((error: unknown) =>
            // A client that left mid-request (an aborted upload) is no server error.
            res.destroyed ? undefined : errorResponse(error, onError),
          );
      if (response) {
        status = response.status;
        await sendResponse(res, response);
      }
    } catch (error) {
      status = 500;
      onError(error);
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
      else res.destroy();
    }
    finished?.();
    onResponse?.({ route: name, request: head, status, ms: performance.now() - startedAt });
  };

  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const parts = (query < 0 ? url : url.slice(0, query)).split("/");
    const isHead = req.method === "HEAD";
    const method = isHead ? "GET" : (req.method ?? "GET");
    for (const candidate of routes) {
      if (!candidate.methods.includes(method)) continue;
      const params = matchPath(candidate.segments, parts);
      if (!params) continue;
      const answer =
        params instanceof MalformedEscape
          ? () => Promise.resolve(errorResponse(params.error, onError))
          : isHead && candidate.head
            ? candidate.head
            : candidate.answer(params);
      void run(candidate.name, answer, req, res);
      return true;
    }
    return false;
  };
}

function route(
  name: string,
  methods: readonly string[],
  path: string,
  answer: Route["answer"],
  head?: Answer,
): Route {
  return { name, methods, segments: path.split("/"), answer, ...(head ? { head } : {}) };
}

/** A `{name}` segment that is not valid percent-encoded UTF-8 (`%ZZ`, `%FF`, a lone surrogate). */
class MalformedEscape {
  readonly error: ServerEventsError;
  constructor(name: string) {
    this.error = invalidArgument(name, `'${name}' in the path is not valid percent-encoded UTF-8`);
  }
}

/** The `{name}` values when the path's `parts` match, else null. */
function matchPath(
  segments: readonly string[],
  parts: readonly string[],
): Map<string, string> | MalformedEscape | null {
  if (parts.length !== segments.length) return null;
  const params = new Map<string, string>();
  let malformed: string | undefined;
  for (let i = 0; i < parts.length; i++) {
    const expected = segments[i]!;
    const part = parts[i]!;
    if (expected.startsWith("{")) {
      if (part === "") return null;
      const name = expected.slice(1, -1);
      try {
        params.set(name, decodeURIComponent(part));
      } catch {
        malformed ??= name;
      }
    } else if (part !== expected) return null;
  }
  return malformed === undefined ? params : new MalformedEscape(malformed);
}
