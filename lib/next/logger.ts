import pino from "pino";

const globalCache = globalThis as unknown as { __serverEventsLogger?: pino.Logger };

/** Structured JSON logs (pino), `info` by default; `LOG_LEVEL` overrides. */
export const logger: pino.Logger = (globalCache.__serverEventsLogger ??= pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { pid: process.pid, instance: process.env.INSTANCE_ID },
}));

/** Per-request fields: the caller's `X-Request-Id` when it sent one, a fresh id otherwise. */
export function requestLogger(request: Request, route: string): pino.Logger {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  return logger.child({ requestId, route, method: request.method });
}

/** Logs each request's outcome; frequent, uneventful routes (heartbeats) only at debug level. */
export function withRequestLog<A extends unknown[]>(
  route: string,
  handler: (request: Request, ...args: A) => Promise<Response>,
  quiet = false,
): (request: Request, ...args: A) => Promise<Response> {
  return async (request, ...args) => {
    const log = requestLogger(request, route);
    const startedAt = performance.now();
    const response = await handler(request, ...args);
    const fields = { status: response.status, ms: Math.round(performance.now() - startedAt) };
    if (response.status >= 500) log.error(fields, "request failed");
    else if (quiet && response.status < 400) log.debug(fields, "request");
    else log.info(fields, "request");
    return response;
  };
}
