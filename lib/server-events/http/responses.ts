import { ServerEventsError } from "../errors";
import type { RequestHead } from "./request-head";

export const eventStreamHeaders = {
  "Content-Type": "text/event-stream",
  // no-transform keeps proxies (and Next) from compressing and so buffering the stream; a stream
  // carries one caller's frames (their subscription id first), so no cache may keep any of it.
  "Cache-Control": "private, no-cache, no-store, no-transform",
  "X-Accel-Buffering": "no",
  // Set here, not only in next.config.mjs: the Node fast path never passes through Next.
  "X-Content-Type-Options": "nosniff",
} as const;

const jsonHeaders = {
  "Content-Type": "application/json; charset=utf-8",
  // Answers depend on who asks (their cookie) and on live state: no shared cache may keep one.
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
} as const;

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return jsonTextResponse(JSON.stringify(body), status, headers);
}

/** {@link jsonResponse} for JSON already serialised (to charge its size first, say). */
export function jsonTextResponse(json: string, status = 200, headers: HeadersInit = {}): Response {
  return new Response(json, { status, headers: { ...jsonHeaders, ...headers } });
}

/**
 * Known errors become their 4xx with ServiceStack's `responseStatus` body; anything else is a bug,
 * reported through `onError` and answered with a 500 that leaks nothing.
 */
export function errorResponse(error: unknown, onError: (error: unknown) => void): Response {
  if (error instanceof ServerEventsError) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers["WWW-Authenticate"] = 'Credentials realm="/api/auth/signin"';
    if (error.retryAfterMs !== undefined)
      headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    return new Response(JSON.stringify(error.toJSON()), {
      status: error.status,
      // The reason phrase is what the official TS client reports ("404 - Subscription 'x' does not exist").
      statusText: error.message.replace(/[^\x20-\x7e]/gu, "?"),
      headers: { ...jsonHeaders, ...headers },
    });
  }
  onError(error);
  return jsonResponse(
    {
      responseStatus: {
        errorCode: "InternalServerError",
        message: "Internal server error",
        errors: [],
      },
    },
    500,
  );
}

export function withErrors<A extends unknown[]>(
  handler: (request: Request, ...args: A) => Promise<Response>,
  onError: (error: unknown) => void,
): (request: Request, ...args: A) => Promise<Response> {
  return async (request, ...args) => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      return errorResponse(error, onError);
    }
  };
}

/** The origin clients should use for the URLs in `cmd.onConnect`, honouring reverse proxies. */
export function requestOrigin(request: RequestHead): string {
  const first = (value: string | null) => value?.split(",")[0]?.trim() || undefined;
  // The URL is parsed only when a header is missing (the Node server and Next fill them in).
  const proto =
    first(request.headers.get("x-forwarded-proto")) ?? new URL(request.url).protocol.slice(0, -1);
  const host =
    first(request.headers.get("x-forwarded-host")) ??
    request.headers.get("host") ??
    new URL(request.url).host;
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

export function userAddressOf(request: RequestHead): string | null {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || null;
}
