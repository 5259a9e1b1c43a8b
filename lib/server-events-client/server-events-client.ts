import type { EventSourceMessage } from "eventsource-parser";
import * as api from "./api";
import { createBackoff } from "./backoff";
import { applyCss, findElement, sendBeacon, watchPageLifecycle } from "./browser";
import { createEventStreamUri, mergeChannels, toServerEventUser } from "./channels";
import { EventStreamConnection } from "./connection";
import { dispatchMessage, type DispatchContext } from "./dispatch";
import { warnIgnoredFrame } from "./frame-policy";
import { normalizeConnectInfo, toConnectedSettings } from "./connect-info";
import { parseEventId, parseServerEventData } from "./message-parser";
import { resolveOptions, type ResolvedOptions, type ServerEventsClientOptions } from "./options";
import { lookup, type Receiver, type Resolver } from "./receivers";
import { createReporter, type Reporter } from "./reporter";
import type {
  ConnectionState,
  NoCustomHandlers,
  ServerEventBuiltInHandlers,
  ServerEventConnect,
  HandlerFor,
  ServerEventMessage,
  ServerEventUser,
} from "./types";

type Listener = (e: ServerEventMessage) => void;
/**
 * A ServiceStack Server Events client for browsers and Node, API-compatible with
 * `@servicestack/client`'s, over `fetch` instead of `EventSource`: it sends `Last-Event-ID` on
 * reconnect, backs off with jitter, watches for idle streams and never throws asynchronously
 * (every error goes to `onException`).
 *
 * @typeParam TCustom custom `cmd.X` handlers, e.g. `{ chat: (msg: ChatMessage, e: ServerEventMessage) => void }`
 * @see https://docs.servicestack.net/typescript-server-events-client
 */
export class ServerEventsClient<TCustom extends object = NoCustomHandlers> {
  static readonly UnknownChannel = "*";
  /** The channels the client is subscribed to (updated by onConnect and channel changes). */
  channels: string[];
  /** The stream URL for the current channels. */
  eventStreamUri: string;
  readonly options: ResolvedOptions<TCustom>;
  resolver: Resolver;
  connectionInfo: ServerEventConnect | null = null;
  updateSubscriberUrl: string | undefined;
  readonly listeners: Record<string, Listener[]> = {};
  readonly #baseUrl: string;
  readonly #connection: EventStreamConnection;
  readonly #reporter: Reporter;
  #eventId = 0;
  #running = false;
  #suspended = false;
  #unwatchPage: (() => void) | undefined;

  constructor(
    baseUrl: string,
    channels: string[],
    options: ServerEventsClientOptions<TCustom> = {},
  ) {
    if (channels.length === 0) throw new TypeError("at least 1 channel is required");
    this.#baseUrl = baseUrl;
    this.channels = [...channels];
    this.options = resolveOptions(options);
    this.eventStreamUri = this.#streamUri(this.channels);
    this.resolver = this.options.resolver;
    this.#reporter = createReporter(this.options);
    this.#connection = new EventStreamConnection({
      ...this.#http(),
      backoff: createBackoff(this.options.reconnect),
      idleTimeoutMs:
        this.options.idleTimeoutMs === null ? null : (this.options.idleTimeoutMs ?? 30_000),
      streamUrl: () => this.#streamUrl(),
      onEvent: (event) => this.#onEvent(event),
      onError: (error) => this.#report(error),
      onReconnect: (error) => this.#onReconnect(error),
      onStateChange: (state) => this.#safely(() => this.options.onStateChange?.(state)),
      onFatal: () => this.#halt(),
    });
  }

  /** `connecting`, `open` (after `cmd.onConnect`), `reconnecting` or `closed`. */
  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** The state as `EventSource.readyState`: 0 connecting/reconnecting, 1 open, 2 closed. */
  get readyState(): 0 | 1 | 2 {
    const state = this.#connection.state;
    return state === "open" ? 1 : state === "closed" ? 2 : 0;
  }

  /** The last event id received; sent as `Last-Event-ID` on reconnect. */
  get lastEventId(): string | undefined {
    return this.#connection.lastEventId;
  }

  /** Opens the stream (no-op when already started). */
  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#suspended = false;
    this.#unwatchPage ??= watchPageLifecycle(
      () => this.#onPageHide(),
      () => this.#suspended && this.start(),
    );
    this.#connection.open();
    return this;
  }

  /**
   * Closes the stream and `POST`s `unRegisterUrl`. Resolves even when that fails (→ onException).
   * Pass `{ unregister: false }` when closing the stream is enough (a page being unloaded, against
   * a server that ends a subscription when its stream closes).
   */
  async stop(options: { unregister?: boolean } = {}): Promise<void> {
    this.#unwatchPage?.();
    this.#unwatchPage = undefined;
    const info = this.#halt();
    if (info?.unRegisterUrl && options.unregister !== false) {
      await api.unregister(this.#http(), info.unRegisterUrl).catch((e: unknown) => this.#report(e));
    }
  }

  hasConnected(): boolean {
    return this.connectionInfo !== null;
  }

  /** The `cmd.onConnect` info. @throws Error when not connected */
  getConnectionInfo(): ServerEventConnect {
    if (this.connectionInfo === null) throw new Error("Not Connected");
    return this.connectionInfo;
  }

  getSubscriptionId(): string {
    return this.getConnectionInfo().id;
  }

  registerHandler<K extends string>(name: K, fn: HandlerFor<TCustom, K>): this {
    (this.options.handlers as Record<string, unknown>)[name] = fn;
    return this;
  }

  setResolver(resolver: Resolver): this {
    this.resolver = this.options.resolver = resolver;
    return this;
  }

  /** The global receiver, for `cmd.*` messages without a handler. */
  registerReceiver(receiver: Receiver): this {
    return this.registerNamedReceiver("cmd", receiver);
  }

  registerNamedReceiver(name: string, receiver: Receiver): this {
    this.options.receivers[name] = receiver;
    return this;
  }

  unregisterReceiver(name = "cmd"): this {
    delete this.options.receivers[name];
    return this;
  }

  /** Listens to `trigger.{eventName}` messages. */
  addListener(eventName: string, listener: Listener): this {
    (this.listeners[eventName] ??= []).push(listener);
    return this;
  }

  removeListener(eventName: string, listener: Listener): this {
    const list = this.listeners[eventName];
    const at = list?.indexOf(listener) ?? -1;
    if (at >= 0) list?.splice(at, 1);
    return this;
  }

  /** Calls each listener; a listener that throws goes to onException, the others still run. */
  raiseEvent(eventName: string, message: ServerEventMessage): void {
    for (const listener of [...(lookup(this.listeners, eventName) ?? [])]) {
      this.#safely(() => listener(message));
    }
  }

  /** Sets the channel list and the stream URL used by the next (re)connection. */
  updateChannels(channels: string[]): void {
    this.channels = channels;
    this.eventStreamUri = this.#streamUri(channels);
  }

  #streamUri(channels: readonly string[]): string {
    return createEventStreamUri(this.#baseUrl, channels, Date.now(), this.options.eventStreamPath);
  }

  /** Applies a channel change locally (after the server accepted it). */
  update(subscribe?: string | string[] | null, unsubscribe?: string | string[] | null): void {
    this.updateChannels(mergeChannels(this.channels, subscribe, unsubscribe));
  }

  /** `POST /api/UpdateEventSubscriber`, then updates `channels`. Errors go to onException. */
  async updateSubscriber(request: api.UpdateEventSubscriber): Promise<void> {
    try {
      const id = request.id ?? this.getSubscriptionId();
      await api.updateEventSubscriber(this.#http(), this.#baseUrl, { ...request, id });
      this.update(request.subscribeChannels, request.unsubscribeChannels);
    } catch (error) {
      this.#report(error);
    }
  }

  subscribeToChannels(...channels: string[]): Promise<void> {
    return this.updateSubscriber({ subscribeChannels: channels });
  }

  unsubscribeFromChannels(...channels: string[]): Promise<void> {
    return this.updateSubscriber({ unsubscribeChannels: channels });
  }

  /** Subscribers of the current channels; `[]` on error (→ onException). */
  async getChannelSubscribers(): Promise<ServerEventUser[]> {
    try {
      return await api.getEventSubscribers(this.#http(), this.#baseUrl, this.channels);
    } catch (error) {
      this.#report(error);
      return [];
    }
  }

  toServerEventUser(map: Record<string, string>): ServerEventUser {
    return toServerEventUser(map);
  }

  #http(): api.HttpContext {
    const { fetch, headers, credentials } = this.options;
    return { fetch, headers, credentials };
  }

  #streamUrl(): string {
    this.updateChannels(this.channels); // a fresh `t=` cache buster for every request
    return this.options.resolveStreamUrl?.(this.eventStreamUri) ?? this.eventStreamUri;
  }

  /** Stops locally; returns the connection info it had. */
  #halt(): ServerEventConnect | null {
    const wasRunning = this.#running;
    const info = this.connectionInfo;
    this.#running = false;
    this.connectionInfo = null;
    this.#connection.close();
    this.#eventId = 0;
    if (wasRunning) this.#safely(() => this.#handlers().onStop?.());
    return info;
  }

  #onPageHide(): void {
    if (!this.#running) return;
    // Only a live subscription is worth unregistering (one whose stream dropped may be gone
    // already), and the request leaves before the stream closes: a server that ends the
    // subscription with its stream would otherwise answer 404.
    const url =
      this.options.unregisterOnPageHide !== false && this.#connection.state === "open"
        ? this.connectionInfo?.unRegisterUrl
        : undefined;
    try {
      // sendBeacon survives the page being torn down; a plain fetch may be cancelled.
      if (url && !sendBeacon(url)) {
        const http = this.#http();
        void http
          .fetch(url, { method: "POST", keepalive: true, credentials: http.credentials })
          .catch(() => {});
      }
    } finally {
      this.#halt();
      this.#suspended = true;
    }
  }

  #handlers(): ServerEventBuiltInHandlers {
    return this.options.handlers;
  }

  #dispatchContext(): DispatchContext {
    return {
      handlers: this.options.handlers,
      receivers: this.options.receivers,
      resolver: this.resolver,
      client: this,
      validate: this.options.validate,
      policy: {
        allowedLocationOrigins: this.options.allowedLocationOrigins,
        baseUrl: this.#baseUrl,
      },
      onIgnored: (reason, request) => this.#ignore(reason, request),
      connect: (info, request) => this.#onConnect(info, request),
      raiseEvent: (name, request) => this.raiseEvent(name, request),
      applyCss,
      findElement,
    };
  }

  #onEvent(event: EventSourceMessage): void {
    if (!this.#running || event.data === "") return;
    this.#eventId = parseEventId(event.id, this.#eventId);
    this.#safely(() => {
      const request = parseServerEventData(event.data, this.#eventId);
      if (dispatchMessage(this.#dispatchContext(), request)) this.options.onTick?.();
    });
  }

  #onConnect(info: ServerEventConnect, request: ServerEventMessage): void {
    // The server writes exactly one, first, on every stream. A later one on the same stream can
    // only be a subscriber's message sent to our user id (it is bare too): acting on it would
    // hand them our subscription id and the URLs we POST heartbeats and unregistration to.
    if (this.#connection.state === "open") {
      this.#ignore("a second cmd.onConnect on one stream", request);
      return;
    }
    normalizeConnectInfo(info, this.options);
    this.connectionInfo = info;
    this.updateSubscriberUrl = info.updateSubscriberUrl;
    if (typeof info.channels === "string" && info.channels !== "") {
      this.updateChannels(info.channels.split(","));
    }
    // The handler may change the intervals before the timers start (the official tests do).
    this.#safely(() => this.#handlers().onConnect?.(info, request));
    if (this.#running) this.#connection.connected(toConnectedSettings(info, this.options));
  }

  #ignore(reason: string, request: ServerEventMessage): void {
    this.#safely(() => (this.options.onIgnoredFrame ?? warnIgnoredFrame)(reason, request));
  }

  #onReconnect(error: unknown): void {
    this.#safely(() => this.options.onReconnect?.(error));
    this.#safely(() => this.#handlers().onReconnect?.(error));
  }

  #safely(fn: () => void): void {
    this.#reporter.safely(fn);
  }

  #report(error: unknown): void {
    this.#reporter.report(error);
  }
}
