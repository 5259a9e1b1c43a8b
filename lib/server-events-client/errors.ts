/**
 * Why the client reported an error to `onException`.
 * - `unauthorized`: a 401/403 answer; on the stream the client stops (retrying cannot fix
 *   credentials), on a heartbeat it reconnects.
 * - `http`: any other non-2xx answer (stream, heartbeat, unregister, update, subscribers).
 * - `network`: `fetch` or the body read failed.
 * - `stream-ended`: the server closed the stream.
 * - `idle-timeout`: nothing arrived within `idleTimeoutMs`.
 * - `invalid-frame`: a `data:` line without an `op.target` selector.
 * - `invalid-body`: a body its typed handler's schema refused (see `typedHandlers`); the handler
 *   was not called.
 * - `handler`: a handler, listener or receiver threw, or `resolveStreamUrl` did (the client then
 *   retries after the back-off, as after a failed request).
 */
export type ServerEventsClientErrorCode =
  | "unauthorized"
  | "http"
  | "network"
  | "stream-ended"
  | "idle-timeout"
  | "invalid-frame"
  | "invalid-body"
  | "handler";

/** The one error type the client reports; the original error is kept as `cause`. */
export class ServerEventsClientError extends Error {
  override readonly name = "ServerEventsClientError";
  readonly code: ServerEventsClientErrorCode;
  /** HTTP status, for `unauthorized` and `http`. */
  readonly status: number | undefined;
  /** The answer's `Retry-After` (429, 503: a stream limit, a draining instance), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ServerEventsClientErrorCode,
    message: string,
    options: { status?: number; cause?: unknown; retryAfterMs?: number | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** `Retry-After` in whole seconds, as ms; dates and nonsense are ignored. Capped at 10 minutes. */
function retryAfterMsOf(response: Response): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value || !/^\d{1,6}$/u.test(value)) return undefined;
  return Math.min(Number(value) * 1000, 600_000);
}

/** An error for a non-2xx response, worded like the official client: `"404 - Not Found"`. */
export function createHttpError(response: Response, what: string): ServerEventsClientError {
  const code = response.status === 401 || response.status === 403 ? "unauthorized" : "http";
  return new ServerEventsClientError(code, `${what}: ${response.status} - ${response.statusText}`, {
    status: response.status,
    retryAfterMs: retryAfterMsOf(response),
  });
}

/** Wraps anything thrown into a {@link ServerEventsClientError} (kept as is when it already is one). */
export function toClientError(
  error: unknown,
  code: ServerEventsClientErrorCode,
  what: string,
): ServerEventsClientError {
  if (error instanceof ServerEventsClientError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ServerEventsClientError(code, `${what}: ${detail}`, { cause: error });
}
