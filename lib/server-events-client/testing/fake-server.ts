import type { FetchLike } from "../options";

/** A request the client made. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  credentials: RequestCredentials | undefined;
  /** `Date.now()` when the request was made (fake time in tests). */
  at: number;
}

/** One open `/event-stream` response whose frames the test pushes. */
export class FakeStream {
  closed = false;
  /** The id of the last frame sent with {@link send}. */
  lastId = 0;
  readonly #encoder = new TextEncoder();
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  readonly body: ReadableStream<Uint8Array>;

  constructor(
    readonly request: RecordedRequest,
    signal: AbortSignal | null | undefined,
  ) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.closed = true;
      },
    });
    signal?.addEventListener("abort", () => this.error(new DOMException("aborted", "AbortError")));
  }

  /** Writes raw text (may be part of a frame). */
  write(text: string): void {
    this.writeBytes(this.#encoder.encode(text));
  }

  /** Writes raw bytes (may end inside a UTF-8 sequence). */
  writeBytes(bytes: Uint8Array): void {
    if (!this.closed) this.#controller?.enqueue(bytes);
  }

  /** Writes one ServiceStack frame: `id: N\ndata: selector json\n\n`. */
  send(id: number, selector: string, body?: unknown): void {
    const json = body === undefined ? "" : JSON.stringify(body);
    this.lastId = id;
    this.write(`id: ${id}\ndata: ${selector} ${json}\n\n`);
  }

  /** The server ends the response. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.#controller?.close();
  }

  error(reason: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.#controller?.error(reason);
  }
}

type Responder = (request: RecordedRequest) => Response | Promise<Response>;

/** A scripted server behind an injectable `fetch`; no sockets, no timers of its own. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly streams: FakeStream[] = [];
  /** Statuses for the next stream requests (one is consumed per request); 200 when empty. */
  readonly streamStatuses: number[] = [];
  /** `Retry-After` values for those answers, in order (none once it runs out). */
  readonly streamRetryAfter: string[] = [];
  /** Answers for non-stream requests, by path; `200 ""` by default. */
  readonly routes = new Map<string, Responder>();

  readonly fetch: FetchLike = (url, init) => {
    const request: RecordedRequest = {
      url,
      method: init.method ?? "GET",
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === "string" ? init.body : undefined,
      credentials: init.credentials,
      at: Date.now(),
    };
    this.requests.push(request);
    const path = new URL(url).pathname;
    if (path.endsWith("/event-stream")) return Promise.resolve(this.#openStream(request, init));
    const route = this.routes.get(path);
    if (route) return Promise.resolve(route(request));
    if (path.endsWith("/event-heartbeat")) this.#replyToHeartbeat();
    return Promise.resolve(new Response("", { status: 200 }));
  };

  /** Like the real server: `cmd.onHeartbeat {meta}` on the stream before the 200. */
  #replyToHeartbeat(): void {
    const stream = this.streams.at(-1);
    if (stream && !stream.closed)
      stream.send(stream.lastId + 1, "cmd.onHeartbeat", { userId: "-1" });
  }

  #openStream(request: RecordedRequest, init: RequestInit): Response {
    const status = this.streamStatuses.shift() ?? 200;
    if (status !== 200) {
      const retryAfter = this.streamRetryAfter.shift();
      return new Response("", {
        status,
        statusText: `status ${status}`,
        headers: retryAfter === undefined ? {} : { "Retry-After": retryAfter },
      });
    }
    const stream = new FakeStream(request, init.signal);
    this.streams.push(stream);
    return new Response(stream.body, { headers: { "Content-Type": "text/event-stream" } });
  }

  /** The most recent stream. */
  get stream(): FakeStream {
    const stream = this.streams.at(-1);
    if (!stream) throw new Error("no stream was opened");
    return stream;
  }

  /** Requests to a path (e.g. `/event-heartbeat`). */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => new URL(r.url).pathname === path);
  }
}

/** The `cmd.onConnect` body the project's server sends (all values strings). */
export function connectBody(
  id = "sub1",
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    userId: "-1",
    isAuthenticated: "false",
    displayName: "user1",
    channels: "home",
    createdAt: "1700000000000",
    profileUrl: "data:image/svg+xml,x",
    id,
    unRegisterUrl: `http://h/event-unregister?id=${id}`,
    heartbeatUrl: `http://h/event-heartbeat?id=${id}`,
    updateSubscriberUrl: `http://h/event-subscribers/${id}`,
    heartbeatIntervalMs: "10000",
    idleTimeoutMs: "30000",
    ...overrides,
  };
}
