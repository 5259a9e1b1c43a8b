import { defaultProfileUrl } from "./identity";
import { serializeMessage } from "./wire/validate";
import type { Subscription } from "./subscription";

/**
 * Hooks in ServiceStack's order: onInit → onCreated → onConnect → onSubscribe → (onUpdate,
 * onPublish/onPublishAsync, onHeartbeatInit)* → onUnsubscribe → onDispose. docs/protocol.md,
 * "Hooks", says which of them run for replayed frames and for `cmd.onConnect`/`cmd.onHeartbeat`.
 */
export interface ServerEventsHooks {
  /**
   * Before anything is written. Return a Response to refuse the stream with it; add response
   * headers to the stream by setting them on `headers` (ServiceStack's
   * `OnInit = req => req.Response.AddHeader(...)`).
   */
  onInit?: (request: Request, headers: Headers) => Response | void | Promise<Response | void>;
  /** The subscription exists but is not registered; add `meta`, `connectArgs` or `serverArgs` here. */
  onCreated?: (subscription: Subscription, request: Request) => void | Promise<void>;
  /** Last chance to change the `cmd.onConnect` payload. */
  onConnect?: (
    subscription: Subscription,
    connectArgs: Record<string, string>,
  ) => void | Promise<void>;
  /** After indexing, before the onJoin notifications; anything published here precedes them. */
  onSubscribe?: (subscription: Subscription) => void | Promise<void>;
  /** First step of unregister, expiry or disconnect; the subscription is already unindexed. */
  onUnsubscribe?: (subscription: Subscription) => void | Promise<void>;
  /**
   * After a live channel change, before onUpdate is broadcast; it runs whether or not
   * `notifyChannelOfSubscriptions` broadcasts anything.
   */
  onUpdate?: (subscription: Subscription) => void | Promise<void>;
  /** Before each frame is written to a subscription. Keep it cheap: it runs per recipient. */
  onPublish?: (subscription: Subscription, frame: string) => void;
  /**
   * The async twin of `onPublish`: awaited before each frame is written to that subscription;
   * its frames still arrive in order. It delays only the subscription it runs for.
   */
  onPublishAsync?: (subscription: Subscription, frame: string) => Promise<void>;
  /** Last: the subscription is unsubscribed, its stream ended and its onLeave sent. */
  onDispose?: (subscription: Subscription) => void | Promise<void>;
  /** On every heartbeat request. Return a Response to answer with it instead. */
  onHeartbeatInit?: (request: Request) => Response | void | Promise<Response | void>;
  /** Background and delivery errors; never thrown to callers. @default console.error */
  onError?: (error: unknown, subscription?: Subscription) => void;
}

/** Endpoint paths; `null` turns the endpoint off (and drops its URL from `cmd.onConnect`). */
export interface ServerEventsPaths {
  /** @default "/event-stream" */
  streamPath: string | null;
  /** @default "/event-heartbeat" */
  heartbeatPath: string | null;
  /** @default "/event-unregister" */
  unRegisterPath: string | null;
  /** @default "/event-subscribers" */
  subscribersPath: string | null;
  /** Followed by `/{id}`. @default "/event-subscribers" */
  updateSubscriberPath: string | null;
}

export interface ServerEventsOptions extends Partial<ServerEventsPaths>, ServerEventsHooks {
  /** A subscription with no heartbeat for this long is removed and its onLeave sent. @default 30000 */
  idleTimeoutMs?: number;
  /** Told to clients in `cmd.onConnect`. @default 10000 */
  heartbeatIntervalMs?: number;
  /** How often expired subscriptions are swept. @default 5000 */
  houseKeepingIntervalMs?: number;
  /** Send onJoin/onLeave/onUpdate to channel members. @default true */
  notifyChannelOfSubscriptions?: boolean;
  /** Refuse anonymous streams (401) and subscriber listings. @default false */
  limitToAuthenticatedUsers?: boolean;
  /**
   * Remote control of other people's pages (the ops in {@link remoteControlOps}, and ss-utils'
   * `cmd.toggle`/`show`/`hide`) may only be published by signed-in users; anonymous senders get
   * 403. ServiceStack Chat's `LimitRemoteControlToAuthenticatedUsers`. @default true
   */
  limitRemoteControlToAuthenticatedUsers?: boolean;
  /**
   * Selector ops (the part before the dot) that act on the recipient's page rather than deliver
   * a message to it. An app adds its own receivers that do (the demo's `tv`, whose TV loads any
   * URL in every viewer's page). @default ["window", "document", "css"]: ServiceStack's clients'
   */
  remoteControlOps?: readonly string[];
  /** How long published messages stay replayable for `Last-Event-ID` resumes. @default 300000 */
  replayRetentionMs?: number;
  /** At most this many messages are kept for replay. @default 10000 */
  replayMaxMessages?: number;
  /**
   * The replay window also stays under this many bytes of message bodies: in memory, and in
   * Redis's log (Postgres keeps its log on disk). One resume replays at most this much on every
   * provider, and says `recovered: "false"` past it. @default 67108864 (64 MiB)
   */
  replayMaxBytes?: number;
  /**
   * A subscriber whose unsent frames exceed this many bytes is disconnected instead of growing
   * the server's memory; it reconnects and replays. @default 4194304 (4 MiB)
   * @see docs/protocol.md, "Slow consumers"
   */
  maxBufferedBytes?: number;
  /**
   * Presence frames (onJoin/onLeave/onUpdate) may wait this long to share one write with the
   * subscriber's next frames. When many people join one channel at once (a restart's reconnect
   * herd), every member gets a frame per newcomer; batching them turns N² small writes into a few
   * per member. Any other frame to the subscriber takes the waiting ones with it, in order.
   * 0 writes them after the current event-loop turn, like every other frame. @default 100
   */
  presenceFlushMs?: number;
  /**
   * Each stream ends cleanly after at most this long (somewhere in its last tenth, so that streams
   * opened together do not all reconnect together), with a `retry:` hint; the client resumes with
   * `Last-Event-ID` wherever it lands. Set it below a host's maximum function duration. `null`
   * keeps streams open for as long as the client stays. @default null
   * @see docs/deploy.md
   */
  maxStreamDurationMs?: number | null;
  /**
   * The `retry:` hint written before the server ends a stream on purpose (maximum duration,
   * shutdown): EventSource clients reconnect after about this long. Each stream gets a value
   * between half and one and a half times it, so that a shutdown's clients do not all arrive at
   * the next instance in the same millisecond. @default 500
   */
  endOfStreamRetryMs?: number;
  /**
   * Turns a message given to `notify*` (not `notify*Json`) into its JSON text; it must return one
   * line of valid JSON (publishing checks it). @default JSON.stringify; `null`, `undefined` as an empty body
   */
  serialize?: (message: unknown) => string;
  /**
   * The `profileUrl` of a subscriber whose identity brings none (anonymous callers). Every
   * presence frame carries it, so a short URL to an avatar route beats an inline picture.
   * @default an inline SVG data URI of the initial (`defaultProfileUrl`)
   */
  profileUrlOf?: (displayName: string) => string;
  /** Injected clock for tests. @default Date.now */
  now?: () => number;
}

export type ResolvedServerEventsOptions = Required<
  Omit<ServerEventsOptions, keyof ServerEventsHooks | "onError" | "maxStreamDurationMs">
> & { maxStreamDurationMs: number | null } & ServerEventsHooks & {
    onError: (error: unknown, subscription?: Subscription) => void;
  };

/** ServiceStack's endpoint paths. */
export const defaultPaths: ServerEventsPaths = {
  streamPath: "/event-stream",
  heartbeatPath: "/event-heartbeat",
  unRegisterPath: "/event-unregister",
  subscribersPath: "/event-subscribers",
  updateSubscriberPath: "/event-subscribers",
};

/** Applies ServiceStack's defaults once. */
export function resolveOptions(options: ServerEventsOptions = {}): ResolvedServerEventsOptions {
  return {
    ...defaultPaths,
    idleTimeoutMs: 30_000,
    heartbeatIntervalMs: 10_000,
    houseKeepingIntervalMs: 5_000,
    notifyChannelOfSubscriptions: true,
    limitToAuthenticatedUsers: false,
    limitRemoteControlToAuthenticatedUsers: true,
    replayRetentionMs: 300_000,
    replayMaxMessages: 10_000,
    replayMaxBytes: 64 * 1024 * 1024,
    maxBufferedBytes: 4 * 1024 * 1024,
    presenceFlushMs: 100,
    maxStreamDurationMs: null,
    endOfStreamRetryMs: 500,
    serialize: serializeMessage,
    profileUrlOf: defaultProfileUrl,
    now: Date.now,
    onError: (error: unknown) => console.error("[server-events]", error),
    ...withoutUndefined(options),
    // Selectors' ops are compared lower-cased (`Window.alert` is `window`).
    remoteControlOps: (options.remoteControlOps ?? ["window", "document", "css"]).map((op) =>
      op.toLowerCase(),
    ),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One stream's `retry:` hint: `endOfStreamRetryMs` spread over [½, 1½) of it. */
export function endOfStreamRetryHint(options: ResolvedServerEventsOptions): number {
  return Math.round(options.endOfStreamRetryMs * (0.5 + Math.random()));
}

/** When one stream ends: within the last tenth of `maxStreamDurationMs`, or never. */
export function streamLifetimeMs(options: ResolvedServerEventsOptions): number | null {
  const max = options.maxStreamDurationMs;
  return max === null ? null : Math.round(max * (0.9 + Math.random() * 0.1));
}
