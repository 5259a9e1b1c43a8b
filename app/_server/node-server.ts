/**
 * `npm start` (containers): ONE Node process. Node's own `http` server answers the Server Events
 * endpoints straight from the framework-free core (app/_server/node-routes.ts); every other request
 * goes to Next's request handler in the same process (a Next custom server). Both use one provider:
 * it is created here first and cached on globalThis, where the route handlers Next bundled find it.
 *
 * Bundled by `npm run build` into .next/fast-server/server.mjs (node_modules stay external).
 * HOSTNAME (default 127.0.0.1) and PORT (default 3000) choose where it listens.
 */
import { createServer, type IncomingMessage } from "node:http";
import { env, InvalidEnvironmentError, validateEnv } from "@/lib/env";
import { errorResponse, invalidArgument } from "@/lib/server-events";
import { sendResponse, settleForwardedFor } from "@/lib/server-events-node";
import { settleProxyHeaders, type HeaderAccess } from "@/lib/next/proxy-headers";
import { markNodeServer } from "@/lib/next/serve-mode";
import { ConnectionDrain } from "./connection-drain";
import { requestLineProblem, SERVED_METHODS } from "./request-line";

async function main(): Promise<void> {
  // React and Next pick their production builds from NODE_ENV when first loaded: set it before.
  // Raw on purpose: a write, for them; lib/env reads NODE_ENV only later, on first use.
  Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });
  // Every variable, before anything else loads: a bad one stops the server, one line each.
  validateEnv();
  // Before Next loads: its instrumentation then accepts moved endpoint paths, which this serves.
  markNodeServer();
  // Loaded after the check: the logger reads LOG_LEVEL as it loads.
  const [{ logger }, { createAppNodeHandler }, { startAppServicesInBackground }] =
    await Promise.all([
      import("@/lib/next/logger"),
      import("./node-routes"),
      import("./app-services"),
    ]);
  const hostname = env.HOSTNAME ?? "127.0.0.1";
  const port = env.PORT ?? 3000;

  // First, so that Next's route handlers find this provider instead of creating their own; this
  // also hooks SIGTERM/SIGINT to the provider's shutdown. Not awaited: with the database down the
  // server still starts, answers /healthz, and /readyz turns 200 once the provider is up.
  startAppServicesInBackground();
  const { default: next } = await import("next");
  const app = next({ dev: false, hostname, port, dir: process.cwd() });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const handleServerEvents = createAppNodeHandler();
  const trust = env.TRUST_FORWARDED_FOR;

  const server = createServer((req, res) => {
    drain.track(res);
    const refused = requestLineProblem(req.method, req.url);
    if (refused) {
      const response = errorResponse(refused, () => undefined);
      if (refused.status === 405) response.headers.set("allow", SERVED_METHODS.join(", "));
      void sendResponse(res, response);
      return;
    }
    // For Next's handlers too (sign-in and sign-up count failures per address).
    settleForwardedFor(req, trust);
    // Before anything builds a URL from them (Auth.js does, on every page).
    const problem = settleProxyHeaders(nodeHeaders(req));
    if (problem) {
      const error = invalidArgument(problem.header, problem.message);
      void sendResponse(
        res,
        errorResponse(error, () => undefined),
      );
      return;
    }
    if (handleServerEvents(req, res)) return;
    handleNext(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "next request handler failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // Longer than the idle timeout of the proxy's pooled connections to us (nginx's upstream
  // keepalive_timeout and most load balancers': 60 s). With Node's 5 s default, the proxy may send
  // a request on a connection this server is closing, and a POST (a publish) is not retried: 502.
  server.keepAliveTimeout = 65_000;
  // A request, headers and body, must arrive within a minute, not Node's five: a client that
  // sends most of a large body and stalls would hold what it sent that long. (Time idle between
  // requests does not count; a stream's request is whole at once, its response may last hours.)
  // Node enforces requestTimeout only when headersTimeout is no longer.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  // Node remembers a connection's address once asked: asked now, it is known even if the client
  // resets the connection before its request is handled (otherwise it would count as 0.0.0.0).
  server.on("connection", (socket) => void socket.remoteAddress);
  server.once("error", (error) => {
    logger.fatal({ err: error }, `cannot listen on ${hostname}:${port}`);
    process.exit(1);
  });
  const drain = new ConnectionDrain(server);
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  logger.info({ url: `http://${hostname}:${port}`, mode: "node" }, "ready");
  closeOnSignals(drain);
}

/** An incoming request's headers, read and rewritten in place (names are lower-case already). */
function nodeHeaders(req: IncomingMessage): HeaderAccess {
  return {
    get: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    set: (name, value) => {
      if (value === undefined) delete req.headers[name];
      else req.headers[name] = value;
    },
  };
}

/**
 * Stops accepting connections and closes kept-alive ones as they go idle; the provider's own
 * SIGTERM handler (app/_server/app-services.ts, registered first) drains, ends every stream, and
 * exits.
 */
function closeOnSignals(drain: ConnectionDrain): void {
  const close = () => drain.begin();
  process.once("SIGTERM", close);
  process.once("SIGINT", close);
}

main().catch(async (error: unknown) => {
  if (error instanceof InvalidEnvironmentError) console.error(error.message);
  else (await import("@/lib/next/logger")).logger.fatal({ err: error }, "server failed to start");
  process.exit(1);
});
