import type { EventSourceMessage } from "eventsource-parser";
import type { Backoff } from "./backoff";
import { createHttpError, ServerEventsClientError, toClientError } from "./errors";
import { readEventStream } from "./event-stream";
import type { FetchLike } from "./options";
import type { ConnectionState } from "./types";

/** What the connection needs from its owner. Callbacks must not throw, but for `streamUrl`. */
export interface ConnectionOptions {
  fetch: FetchLike;
  headers: Readonly<Record<string, string>>;
  credentials: RequestCredentials;
  backoff: Backoff;
  /** Watchdog delay before the first `cmd.onConnect`; `null` = off. */
  idleTimeoutMs: number | null;
  /** The URL for the next request (current channels); a throw counts as a failed attempt. */
  streamUrl(): string;
  onEvent(event: EventSourceMessage): void;
  onError(error: ServerEventsClientError): void;
  onReconnect(error: unknown): void;
  onStateChange(state: ConnectionState): void;
  /** The stream answered 401/403: the connection is closed for good. */
  onFatal(): void;
}

/** Timers and settings taken from `cmd.onConnect`. */
export interface ConnectedSettings {
  heartbeatUrl: string | undefined;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number | null;
}

type Timer = ReturnType<typeof setTimeout>;

// How long a stream must stay up after `cmd.onConnect` before failed attempts are forgotten: a
// crash-looping instance sends onConnect, then drops the stream, and must still be backed off from.
const STABLE_STREAM_MS = 10_000;

/**
 * The transport under {@link ServerEventsClient}: one fetch-based stream at a time, heartbeats,
 * an idle watchdog, and reconnection with back-off. Every request and timer belongs to a
 * *generation*; anything that finishes for an older generation is ignored, so a late heartbeat
 * reply or a stream that errors after being replaced cannot trigger a second reconnect.
 */
export class EventStreamConnection {
  #state: ConnectionState = "closed";
  #generation = 0;
  #controller: AbortController | undefined;
  #reconnectTimer: Timer | undefined;
  #heartbeatTimer: Timer | undefined;
  #idleTimer: Timer | undefined;
  #stableTimer: Timer | undefined;
  #idleTimeoutMs: number | null;
  #reconnectCause: unknown;
  /** The server's last `retry:` hint: used once when it ends the stream on purpose. */
  #retryHintMs: number | undefined;
  /**
   * The last `id:` received; sent as `Last-Event-ID` on reconnect and on the next `open()` after a
   * `close()`, until {@link forgetResumePoint}.
   */
  lastEventId: string | undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.#idleTimeoutMs = options.idleTimeoutMs;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Opens the stream; does nothing unless closed. */
  open(): void {
    if (this.#state !== "closed") return;
    this.#setState("connecting");
    this.#connect();
  }

  /**
   * Aborts the stream and every timer. Keeps `lastEventId`: a client suspended with its page (the
   * back/forward cache) resumes from it, so the server replays what was sent in the meantime.
   */
  close(): void {
    this.#teardown();
    this.#setState("closed");
  }

  /** The next `open()` starts afresh, with no `Last-Event-ID` (a client stopped for good). */
  forgetResumePoint(): void {
    this.lastEventId = undefined;
  }

  /** `cmd.onConnect` arrived: the subscription is usable (failed attempts count until it lasts). */
  connected(settings: ConnectedSettings): void {
    if (this.#state === "closed") return;
    const generation = this.#generation;
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      if (generation === this.#generation) this.options.backoff.reset();
    }, STABLE_STREAM_MS);
    this.#idleTimeoutMs = settings.idleTimeoutMs;
    this.#setState("open");
    this.#touch(this.#generation);
    clearTimeout(this.#heartbeatTimer);
    if (settings.heartbeatUrl !== undefined) {
      this.#scheduleHeartbeat(
        this.#generation,
        settings.heartbeatUrl,
        settings.heartbeatIntervalMs,
      );
    }
  }

  /** Drops the current stream, reports `error`, and opens a new one after the back-off delay. */
  reconnect(error: ServerEventsClientError): void {
    if (this.#state === "closed") return;
    this.#teardown();
    this.options.onError(error);
    if (this.#isClosed()) return; // onError may have stopped the client
    this.#setState("reconnecting");
    this.#reconnectCause = error;
    // A stream the server ended after a `retry:` hint (its maximum duration, a shutdown) comes
    // back after the hint, which the server already spread per stream; failures back off, and
    // no sooner than a refusal's Retry-After (a stream limit, an instance draining).
    const hinted = error.code === "stream-ended" ? this.#retryHintMs : undefined;
    this.#retryHintMs = undefined;
    this.#reconnectTimer = setTimeout(
      () => {
        this.#reconnectTimer = undefined;
        this.#connect();
      },
      hinted ?? Math.max(this.options.backoff.next(), error.retryAfterMs ?? 0),
    );
  }

  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.options.onStateChange(state);
  }

  #teardown(): void {
    this.#generation++;
    this.#controller?.abort();
    this.#controller = undefined;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#heartbeatTimer);
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#stableTimer);
  }

  #connect(): void {
    const generation = ++this.#generation;
    const controller = new AbortController();
    this.#controller = controller;
    const isCurrent = (): boolean => generation === this.#generation;
    const reconnecting = this.#state === "reconnecting";
    let url: string;
    try {
      url = this.options.streamUrl();
    } catch (error) {
      // The URL comes from user code (`resolveStreamUrl`). Thrown here, in start() or in the
      // reconnect timer, it would escape and leave the client stuck; it is an attempt that failed.
      this.#streamFailed(toClientError(error, "handler", "resolveStreamUrl"));
      return;
    }
    this.#touch(generation);
    readEventStream({
      fetch: this.options.fetch,
      url,
      headers: this.options.headers,
      credentials: this.options.credentials,
      signal: controller.signal,
      lastEventId: this.lastEventId,
      onOpen: () => {
        if (isCurrent() && reconnecting) this.options.onReconnect(this.#reconnectCause);
      },
      onBytes: () => this.#touch(generation),
      onRetry: (retryMs) => {
        if (isCurrent()) this.#retryHintMs = retryMs;
      },
      onEvent: (event) => {
        if (!isCurrent()) return;
        if (event.id !== undefined) this.lastEventId = event.id;
        this.options.onEvent(event);
      },
    }).then(
      () => {},
      (error: unknown) => {
        if (!isCurrent()) return;
        this.#streamFailed(toClientError(error, "network", "event-stream"));
      },
    );
  }

  #streamFailed(error: ServerEventsClientError): void {
    if (error.code !== "unauthorized") {
      this.reconnect(error);
      return;
    }
    // 401/403 on the stream is configuration (missing cookie or token, not allowed), which no
    // number of retries will fix: report it and stay closed.
    this.close();
    this.options.onError(error);
    this.options.onFatal();
  }

  /** (Re)arms the idle watchdog: any byte from the stream proves it is alive. */
  #touch(generation: number): void {
    if (generation !== this.#generation) return;
    clearTimeout(this.#idleTimer);
    const timeoutMs = this.#idleTimeoutMs;
    if (timeoutMs === null || timeoutMs <= 0) return;
    this.#idleTimer = setTimeout(() => {
      if (generation !== this.#generation) return;
      const message = `event-stream: nothing received for ${timeoutMs} ms`;
      this.reconnect(new ServerEventsClientError("idle-timeout", message));
    }, timeoutMs);
  }

  // setTimeout chaining, not setInterval: the next heartbeat waits for the previous reply, so a
  // slow server never has several heartbeats of one client in flight.
  #scheduleHeartbeat(generation: number, url: string, intervalMs: number): void {
    this.#heartbeatTimer = setTimeout(() => {
      void this.#heartbeat(generation, url, intervalMs);
    }, intervalMs);
  }

  async #heartbeat(generation: number, url: string, intervalMs: number): Promise<void> {
    try {
      const response = await this.options.fetch(url, {
        method: "POST",
        headers: { ...this.options.headers, "Content-Type": "text/plain" },
        credentials: this.options.credentials,
        signal: this.#controller?.signal,
      });
      if (!response.ok) {
        response.body?.cancel().catch(() => {});
        throw createHttpError(response, "heartbeat");
      }
      await response.text();
    } catch (error) {
      // A 404 means the server forgot the subscription (restart, Reset(), expiry): reconnect.
      if (generation === this.#generation)
        this.reconnect(toClientError(error, "network", "heartbeat"));
      return;
    }
    if (generation === this.#generation) this.#scheduleHeartbeat(generation, url, intervalMs);
  }
}
