import * as api from "./api";
import { createBackoff } from "./backoff";
import { createEventStreamUri, mergeChannels, toServerEventUser } from "./channels";
import { EventStreamConnection } from "./connection";
import { InboundFrames } from "./inbound-frames";
import { PageHideSuspension } from "./page-hide";
import { resolveOptions, type ResolvedOptions, type ServerEventsClientOptions } from "./options";
import type { Receiver, Resolver } from "./receivers";
import { createReporter, type Reporter } from "./reporter";
import { TriggerListeners, type Listener } from "./trigger-listeners";
import type {
  ConnectionState,
  NoCustomHandlers,
  ServerEventBuiltInHandlers,
  ServerEventConnect,
  HandlerFor,
  ServerEventMessage,
  ServerEventUser,
} from "./types";

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
  readonly #triggers = new TriggerListeners();
  readonly listeners: Record<string, Listener[]> = this.#triggers.byName;
  readonly #baseUrl: string;
  readonly #connection: EventStreamConnection;
  readonly #reporter: Reporter;
  readonly #frames: InboundFrames<TCustom>;
  readonly #page: PageHideSuspension;
  #running = false;

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
      onEvent: (event) => this.#frames.receive(event),
      onError: (error) => this.#report(error),
      onReconnect: (error) => this.#onReconnect(error),
      onStateChange: (state) => this.#safely(() => this.options.onStateChange?.(state)),
      onFatal: () => this.#halt("forget"),
    });
    this.#connection.lastEventId = this.options.lastEventId;
    this.#frames = new InboundFrames(this, {
      baseUrl,
      connection: this.#connection,
      reporter: this.#reporter,
      isRunning: () => this.#running,
    });
    this.#page = new PageHideSuspension(this, {
      isRunning: () => this.#running,
      halt: () => this.#halt("keep"),
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

  /** The last event id received: `Last-Event-ID` on reconnect and after a bfcache restore. */
  get lastEventId(): string | undefined {
    return this.#connection.lastEventId;
  }

  /** Opens the stream (no-op when already started). */
  start(): this {
    if (this.#running) return this;
    this.#running = true;
    this.#page.watch();
    this.#connection.open();
    return this;
  }

  /**
   * Closes the stream and `POST`s `unRegisterUrl`. Resolves even when that fails (→ onException).
   * Pass `{ unregister: false }` when closing the stream is enough (a page being unloaded, against
   * a server that ends a subscription when its stream closes).
   */
  async stop(options: { unregister?: boolean } = {}): Promise<void> {
    this.#page.unwatch();
    const info = this.#halt("forget");
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
    this.#triggers.add(eventName, listener);
    return this;
  }

  removeListener(eventName: string, listener: Listener): this {
    this.#triggers.remove(eventName, listener);
    return this;
  }

  /** Calls each listener; a listener that throws goes to onException, the others still run. */
  raiseEvent(eventName: string, message: ServerEventMessage): void {
    this.#triggers.raise(eventName, message, (fn) => this.#safely(fn));
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

  /**
   * Stops locally; returns the connection info it had. A suspension (`"keep"`) resumes from the
   * last event id at the next `start()`; a stop for good (`"forget"`) starts a new subscription.
   */
  #halt(resumePoint: "keep" | "forget"): ServerEventConnect | null {
    const wasRunning = this.#running;
    const info = this.connectionInfo;
    this.#running = false;
    this.connectionInfo = null;
    this.#connection.close();
    if (resumePoint === "forget") this.#connection.forgetResumePoint();
    this.#frames.reset();
    if (wasRunning) this.#safely(() => this.#handlers().onStop?.());
    return info;
  }

  #handlers(): ServerEventBuiltInHandlers {
    return this.options.handlers;
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
