import pino from "pino";
import { env } from "@/lib/env";
import type { RequestHead } from "@/lib/server-events";

const globalCache = globalThis as unknown as { __serverEventsLogger?: pino.Logger };

/** Structured JSON logs (pino), `info` by default; `LOG_LEVEL` overrides. */
export const logger: pino.Logger = (globalCache.__serverEventsLogger ??= pino({
  level: env.LOG_LEVEL ?? "info",
  base: { pid: process.pid, instance: env.INSTANCE_ID },
}));

/** Per-request fields: the caller's `X-Request-Id` when it sent one, a fresh id otherwise. */
export function requestLogger(request: RequestHead, route: string): pino.Logger {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  return logger.child({ requestId, route, method: request.method });
}

/**
 * Logs one answered request; frequent, uneventful routes (heartbeats) only at debug level. The
 * per-request logger (a child and a UUID) is built only when the line will be written: a
 * heartbeat comes every 10 s per tab.
 */
export function logRequest(
  route: string,
  request: RequestHead,
  status: number,
  ms: number,
  quiet = false,
): void {
  const level = status >= 500 ? "error" : quiet && status < 400 ? "debug" : "info";
  if (!logger.isLevelEnabled(level)) return;
  const fields = { status, ms: Math.round(ms) };
  requestLogger(request, route)[level](fields, level === "error" ? "request failed" : "request");
}

/** Logs each request's outcome (see {@link logRequest}). */
export function withRequestLog<A extends unknown[]>(
  route: string,
  handler: (request: Request, ...args: A) => Promise<Response>,
  quiet = false,
): (request: Request, ...args: A) => Promise<Response> {
  return async (request, ...args) => {
    const startedAt = performance.now();
    const response = await handler(request, ...args);
    logRequest(route, request, response.status, performance.now() - startedAt, quiet);
    return response;
  };
}
