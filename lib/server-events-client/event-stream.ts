import { createParser, type EventSourceMessage } from "eventsource-parser";
import { createHttpError, ServerEventsClientError, toClientError } from "./errors";
import type { FetchLike } from "./options";

/** One `GET /event-stream` request. */
export interface EventStreamRequest {
  fetch: FetchLike;
  url: string;
  headers: Readonly<Record<string, string>>;
  credentials: RequestCredentials;
  signal: AbortSignal;
  /** Sent as `Last-Event-ID` so the server replays what this client missed (docs/protocol.md, "Replay"). */
  lastEventId: string | undefined;
  /** The response is 2xx and has a body. */
  onOpen(): void;
  /** Bytes arrived (any bytes: a liveness signal for the idle watchdog). */
  onBytes(): void;
  /** A default (`message`) event; events with another `event:` type are ignored. */
  onEvent(event: EventSourceMessage): void;
  /** A `retry:` field: how long the server asks the client to wait before reconnecting. */
  onRetry(retryMs: number): void;
}

const ignore = (): void => {};

async function openResponse(request: EventStreamRequest): Promise<ReadableStream<Uint8Array>> {
  const headers: Record<string, string> = { ...request.headers, Accept: "text/event-stream" };
  if (request.lastEventId !== undefined) headers["Last-Event-ID"] = request.lastEventId;
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      method: "GET",
      headers,
      credentials: request.credentials,
      signal: request.signal,
    });
  } catch (error) {
    throw toClientError(error, "network", "event-stream");
  }
  if (!response.ok) {
    response.body?.cancel().catch(ignore);
    throw createHttpError(response, "event-stream");
  }
  if (!response.body) throw new ServerEventsClientError("network", "event-stream: no body");
  return response.body;
}

/**
 * Fetches the event stream and feeds it to an SSE parser until it ends.
 *
 * Never resolves normally while the stream is alive: it rejects with a
 * {@link ServerEventsClientError} (`unauthorized`, `http`, `network` or `stream-ended`), or resolves
 * once `signal` aborts. Chunks may split a frame, a line or a UTF-8 sequence anywhere: the
 * streaming `TextDecoder` and the parser's buffer reassemble them.
 */
export async function readEventStream(request: EventStreamRequest): Promise<void> {
  const body = await openResponse(request);
  if (request.signal.aborted) return;
  request.onOpen();
  const parser = createParser({
    onEvent(event) {
      if (request.signal.aborted) return;
      if (event.event === undefined || event.event === "message") request.onEvent(event);
    },
    onRetry(retryMs) {
      if (!request.signal.aborted) request.onRetry(retryMs);
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancel = (): void => void reader.cancel().catch(ignore);
  request.signal.addEventListener("abort", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (request.signal.aborted) return;
      if (done) break;
      request.onBytes();
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if (request.signal.aborted) return;
    throw toClientError(error, "network", "event-stream");
  } finally {
    request.signal.removeEventListener("abort", cancel);
  }
  throw new ServerEventsClientError("stream-ended", "event-stream: the server ended the stream");
}
