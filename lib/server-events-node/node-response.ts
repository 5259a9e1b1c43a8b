import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/**
 * How long a client may take to start reading an answer. The body waits in memory until it has
 * been written to the socket, so a client that asks and never reads (from many connections) would
 * otherwise hold each answer, chat history included, for as long as it keeps the socket open.
 */
export const RESPONSE_WRITE_TIMEOUT_MS = 30_000;
/** …plus this much time per byte: a phone on a poor link still gets a 6 MB history (6½ min). */
export const MIN_READ_BYTES_PER_SECOND = 16 * 1024;

/** How long a client may take to read an answer of `bytes`. */
export function writeDeadlineMs(bytes: number, baseMs = RESPONSE_WRITE_TIMEOUT_MS): number {
  return baseMs + Math.ceil((bytes / MIN_READ_BYTES_PER_SECOND) * 1000);
}

/**
 * Writes a Fetch `Response` (the core's answers: small JSON bodies, empty 200s, errors) to a Node
 * response: status, reason phrase (ServiceStack's clients show it), headers, then the whole body.
 * The connection is closed if the client has not taken the body within `writeTimeoutMs` and the
 * time its size needs at {@link MIN_READ_BYTES_PER_SECOND}.
 */
export async function sendResponse(
  res: ServerResponse,
  response: Response,
  writeTimeoutMs = RESPONSE_WRITE_TIMEOUT_MS,
): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body && headers["content-length"] === undefined) headers["content-length"] = body.byteLength;
  if (!body && response.status !== 204 && response.status !== 304) headers["content-length"] = 0;
  if (res.destroyed) return;
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
  if (!res.writableFinished)
    closeUnlessTaken(res, writeDeadlineMs(body?.byteLength ?? 0, writeTimeoutMs));
}

function closeUnlessTaken(res: ServerResponse, timeoutMs: number): void {
  const timer = setTimeout(() => res.destroy(), timeoutMs);
  timer.unref();
  const settle = () => clearTimeout(timer);
  res.once("finish", settle);
  res.once("close", settle);
}
