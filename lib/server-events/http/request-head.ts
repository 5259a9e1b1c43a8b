/**
 * What the hot endpoints (the event stream, heartbeats) and identity resolvers read from a
 * request: its method, absolute URL and headers. A Fetch `Request` is one. The Node adapter passes
 * a lighter one, because constructing a `Request` costs 25–40 µs on Node 20 — as much as the rest
 * of a heartbeat's own work — and a stream or heartbeat never reads a body.
 */
export interface RequestHead {
  readonly method: string;
  /** Absolute, e.g. `http://host/event-heartbeat?id=…`. */
  readonly url: string;
  readonly headers: HeaderReader;
}

/** The one thing read from headers: a value by (case-insensitive) name, duplicates joined. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** A head that becomes a full Fetch `Request` when a hook typed with one needs it. */
export interface LazyRequest extends RequestHead {
  toRequest(): Request;
}

/** What the stream and heartbeat handlers accept: a Fetch `Request`, or the Node adapter's head. */
export type HandlerRequest = Request | LazyRequest;

/** The Fetch `Request` for hooks (`onInit`, `onCreated`, `onHeartbeatInit`), built only then. */
export function toFetchRequest(request: HandlerRequest): Request {
  return "toRequest" in request ? request.toRequest() : request;
}
