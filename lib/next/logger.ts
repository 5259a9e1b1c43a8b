import pino from "pino";
import { env } from "@/lib/env";
import type { RequestHead } from "@/lib/server-events";

const globalCache = globalThis as unknown as { __serverEventsLogger?: pino.Logger };

/** Lines wait for company until this many bytes are buffered, or {@link FLUSH_EVERY_MS}. */
const BATCH_BYTES = 4096;
const FLUSH_EVERY_MS = 250;

function createLogger(): pino.Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES });
  // A quiet server's lines still go out within a quarter of a second.
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  return pino(
    {
      level: env.LOG_LEVEL ?? "info",
      base: { pid: process.pid, instance: env.INSTANCE_ID },
    },
    destination,
  );
}

/**
 * Structured JSON logs (pino) on stdout, `info` by default; `LOG_LEVEL` overrides. Written
 * asynchronously and in batches: every stream and every publish is logged, and a write per line
 * cost a system call each (a tenth of a core at 4,000 publishes a second). Lines go out once
 * 4 KB are waiting or within 250 ms, and pino flushes what is pending when the process exits.
 */
export const logger: pino.Logger = (globalCache.__serverEventsLogger ??= createLogger());

/**
 * Request ids for requests that bring none: unique across instances (a random prefix per process)
 * and cheap (a counter), since every stream and publish is logged.
 */
const processPrefix = crypto.randomUUID().slice(0, 8);
let requestCount = 0;

function requestIdOf(request: RequestHead): string {
  return (
    request.headers.get("x-request-id")?.slice(0, 100) ||
    `${processPrefix}-${(++requestCount).toString(36)}`
  );
}

/**
 * Logs one answered request; frequent, uneventful routes (heartbeats) only at debug level. The
 * line is built only when it will be written: a heartbeat comes every 10 s per tab.
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
  const fields = {
    requestId: requestIdOf(request),
    route,
    method: request.method,
    status,
    ms: Math.round(ms),
  };
  logger[level](fields, level === "error" ? "request failed" : "request");
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
