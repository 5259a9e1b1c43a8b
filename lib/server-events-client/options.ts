import type { BackoffOptions } from "./backoff";
import type { LocationPolicy } from "./location-policy";
import { NewInstanceResolver, type Receiver, type Resolver } from "./receivers";
import type {
  ConnectionState,
  NoCustomHandlers,
  ServerEventHandlers,
  ServerEventMessage,
} from "./types";

/** The `fetch` the client calls; `globalThis.fetch` by default. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Options of {@link ServerEventsClient}. Every option is optional.
 * @see https://docs.servicestack.net/typescript-server-events-client
 */
export interface ServerEventsClientOptions<TCustom extends object = NoCustomHandlers> {
  /** `cmd.*` and lifecycle handlers; a custom `cmd.X` goes to `handlers.X(body, message)`. @default {} */
  handlers?: ServerEventHandlers<TCustom>;
  /** Named receivers by op (`cmd` is the global receiver). @default {} */
  receivers?: Record<string, Receiver>;
  /** Every error: network, HTTP status, idle timeout, handler exceptions. @default none */
  onException?: (error: unknown) => void;
  /** After a lost stream was replaced by a new request, with the error that caused it. */
  onReconnect?: (error: unknown) => void;
  /** After every message and every reported error. */
  onTick?: () => void;
  /** Connection lifecycle: `connecting` → `open` ⇄ `reconnecting` → `closed`. */
  onStateChange?: (state: ConnectionState) => void;
  /** Instantiates receiver classes. @default new NewInstanceResolver() */
  resolver?: Resolver;
  /** Return `false` to drop a message before dispatch. */
  validate?: (request: ServerEventMessage) => boolean;
  /**
   * Where a `window.location` (or `document.location`) message may send the page, once a `window`
   * or `document` receiver is registered: a list of origins, or a predicate over the resolved
   * URL. Only http(s) URLs are ever followed; anything else is ignored (see `onIgnoredFrame`).
   * Anyone who can publish to a channel can send this message, so widen it with care. Never
   * register the real `window` or `document` object as a receiver: `window.eval` would follow.
   * @default [the page's origin] (under Node, the base URL's origin)
   */
  allowedLocationOrigins?: LocationPolicy;
  /**
   * A frame the client refused to act on: a built-in command the server would never send in that
   * shape (a second `cmd.onConnect`, a `home@cmd.onConnect`), a navigation outside
   * `allowedLocationOrigins`, or (in a page) a `css.*` value that would load a URL from another
   * origin.
   * @default console.warn naming the frame and the reason
   */
  onIgnoredFrame?: (reason: string, message: ServerEventMessage) => void;
  /**
   * `POST unRegisterUrl` (a beacon) when the page is hidden for good, as ServiceStack's clients do:
   * only while the stream is open, and before it is closed. Turn it off against a server that ends
   * a subscription the moment its stream closes (this package's does): the closing page ends it
   * already, so the beacon may still lose the race and get a 404.
   * @default true
   */
  unregisterOnPageHide?: boolean;
  /**
   * Where the event stream is under `baseUrl`, for a server that moved it (ServiceStack's
   * `EventStreamPath`); the other endpoints' URLs come from `cmd.onConnect`. @default "event-stream"
   */
  eventStreamPath?: string;
  /**
   * Resume from this event id: the first `start()` sends it as `Last-Event-ID`, so the server
   * replays what was published after it (a stream taken over from another client, e.g. another
   * tab's). `stop()` forgets it, as it forgets the ids received. @default none: a fresh stream
   */
  lastEventId?: string;
  /**
   * Rewrites the stream URL before each request (e.g. to add `ss-tok` for Node clients). One that
   * throws is a failed attempt: reported to onException (`handler`), retried after the back-off.
   */
  resolveStreamUrl?: (url: string) => string;
  /** Send cookies cross-origin: `credentials: 'include'` (else `'same-origin'`). @default true */
  withCredentials?: boolean;
  /** Extra headers on every request (e.g. `Cookie` or `Authorization` under Node). @default {} */
  headers?: Record<string, string>;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: FetchLike;
  /** Overrides the server's `heartbeatIntervalMs` (before `onConnect` runs). @default from onConnect, else 10000 */
  heartbeatIntervalMs?: number;
  /**
   * Overrides the server's `idleTimeoutMs`: with no bytes at all from the stream for this long
   * (heartbeat replies count), the connection is presumed dead and replaced. `null` turns the
   * watchdog off. @default from onConnect, else 30000
   */
  idleTimeoutMs?: number | null;
  /** Reconnect back-off. @default { initialDelayMs: 500, maxDelayMs: 30000, factor: 2, jitter: true } */
  reconnect?: BackoffOptions;
}

/** Options with defaults applied once. */
export interface ResolvedOptions<
  TCustom extends object,
> extends ServerEventsClientOptions<TCustom> {
  handlers: ServerEventHandlers<TCustom>;
  receivers: Record<string, Receiver>;
  resolver: Resolver;
  credentials: RequestCredentials;
  headers: Record<string, string>;
  fetch: FetchLike;
  reconnect: BackoffOptions;
}

export function resolveOptions<TCustom extends object>(
  options: ServerEventsClientOptions<TCustom>,
): ResolvedOptions<TCustom> {
  return {
    ...options,
    handlers: { ...options.handlers } as ServerEventHandlers<TCustom>,
    receivers: { ...options.receivers },
    resolver: options.resolver ?? new NewInstanceResolver(),
    credentials: options.withCredentials === false ? "same-origin" : "include",
    headers: { ...options.headers },
    // Looked up on each call, so a fetch patched after construction (tests, polyfills) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    reconnect: { ...options.reconnect },
  };
}
