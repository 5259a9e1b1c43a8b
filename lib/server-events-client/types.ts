/**
 * Public message and handler types of the Server Events client. Field names and shapes mirror
 * `@servicestack/client` so code written against it keeps compiling.
 *
 * @see https://docs.servicestack.net/typescript-server-events-client
 */

/** The `type` tag of a {@link ServerEventMessage}, named after ServiceStack's C# classes. */
export type ServerEventType =
  | "ServerEventConnect"
  | "ServerEventHeartbeat"
  | "ServerEventJoin"
  | "ServerEventLeave"
  | "ServerEventUpdate"
  | "ServerEventMessage";

/**
 * One parsed frame: `data: [channel@]op.target[$cssSelector] json`.
 *
 * @see docs/protocol.md, "Frames" (selector grammar) and "Client compatibility" (the `request` object)
 */
export interface ServerEventMessage<TBody = unknown> {
  type: ServerEventType;
  /** The frame's `id:` as an integer (the last id seen when the frame had none; 0 before any). */
  eventId: number;
  /** The `channel@` prefix, or `null` when the frame was not sent to a channel. */
  channel: string | null;
  /** The raw `data:` line. */
  data: string;
  /** The selector without its channel prefix, e.g. `cmd.chat` or `cmd.toggle$#channels`. */
  selector: string;
  /** Everything after the first space (`""` when there is none). */
  json: string;
  /** `JSON.parse(json)`, or `null` when `json` is empty or not valid JSON. */
  body: TBody;
  /** Text before the first `.` of the selector: `cmd`, `trigger`, `css` or a named receiver. */
  op: string;
  /** Text between the `.` and the `$`, with `%20` decoded to a space. */
  target: string;
  /** Text after the first `$`, or `undefined`. */
  cssSelector: string | undefined;
  meta: Record<string, string>;
}

/** A built-in command (`onJoin`, `onLeave`, `onUpdate`, …): the message merged with its Meta body. */
export interface ServerEventCommand extends ServerEventMessage {
  userId: string;
  displayName: string;
  /** Comma-separated list of all the subscriber's channels. */
  channels: string;
  profileUrl: string;
  isAuthenticated?: string;
  createdAt?: string;
  /** Custom Meta keys added by the server. */
  [key: string]: unknown;
}

/** The `cmd.onConnect` payload merged with its message; the two durations are parsed to numbers. */
export interface ServerEventConnect extends ServerEventCommand {
  /** The subscription id. Never share it: it is a capability token. */
  id: string;
  unRegisterUrl: string;
  heartbeatUrl: string;
  updateSubscriberUrl: string;
  heartbeatIntervalMs: number;
  idleTimeoutMs: number;
}

export type ServerEventHeartbeat = ServerEventCommand;
export type ServerEventJoin = ServerEventCommand;
export type ServerEventLeave = ServerEventCommand;
export type ServerEventUpdate = ServerEventCommand;

/** One entry of {@link ServerEventsClient.getChannelSubscribers}. */
export interface ServerEventUser {
  userId: string;
  displayName: string;
  profileUrl: string;
  channels: string[];
  /** Every other Meta key (`isAuthenticated`, `createdAt`, custom keys). */
  meta: Record<string, string>;
}

/**
 * Lifecycle of the client. `open` means a `cmd.onConnect` has been received on the current stream.
 * `reconnecting` covers the back-off wait and the new request until its `cmd.onConnect`.
 */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/**
 * A handler for `cmd.{name}` messages: `handlers[name](body, message)`.
 * Declared as a method so a handler that annotates its body (`(msg: ChatMessage) => …`) is accepted.
 */
export type ServerEventHandler<TBody = unknown> = {
  bivarianceHack(body: TBody, e: ServerEventMessage): void;
}["bivarianceHack"];

/** Handlers for the built-in commands and the client's lifecycle. */
export interface ServerEventBuiltInHandlers {
  /** `cmd.onConnect`; may change `info.heartbeatIntervalMs` / `info.idleTimeoutMs` before timers start. */
  onConnect?(info: ServerEventConnect, e: ServerEventMessage): void;
  onJoin?(e: ServerEventJoin): void;
  onLeave?(e: ServerEventLeave): void;
  onUpdate?(e: ServerEventUpdate): void;
  /** `cmd.onHeartbeat`: the raw Meta body, then the message. */
  onHeartbeat?(meta: Record<string, string>, e: ServerEventHeartbeat): void;
  /** After `onJoin`, `onLeave` and `onUpdate`. */
  onCommand?(e: ServerEventCommand): void;
  /** Every message that is not a built-in command, after its handler or receiver. */
  onMessage?(e: ServerEventMessage): void;
  onException?(error: unknown): void;
  /** After a new stream was opened to replace a lost one; gets the error that caused it. */
  onReconnect?(error: unknown): void;
  /** When the client stops (`stop()`, `pagehide`, or a 401/403 on the stream). */
  onStop?(): void;
}

/** Any `cmd.X` name to a handler: the catch-all every `handlers` option accepts. */
export type CustomHandlers = Record<string, ServerEventHandler>;

/** The default `TCustom`: no declared custom handlers (the catch-all still accepts any). */
export type NoCustomHandlers = Record<never, never>;

/**
 * `handlers` option: built-in handlers, plus the custom ones declared by `TCustom` (pass it
 * explicitly: `new ServerEventsClient<{ chat: (msg: ChatMessage, e: ServerEventMessage) => void }>`),
 * plus any other `cmd.X` handler (body `unknown`; an annotated body type is accepted).
 */
// `NoInfer`: inferring TCustom from the literal would capture `onConnect` as `unknown` and
// break contextual typing. The catch-all comes first so that, for a property in both, the
// contextual type of an unannotated handler comes from the more specific member.
export type ServerEventHandlers<TCustom extends object = NoCustomHandlers> =
  Partial<CustomHandlers> & ServerEventBuiltInHandlers & Partial<NoInfer<TCustom>>;

/** The handler type `registerHandler(name, fn)` expects for `name`. */
export type HandlerFor<TCustom, K extends string> = K extends keyof ServerEventBuiltInHandlers
  ? NonNullable<ServerEventBuiltInHandlers[K]>
  : K extends keyof TCustom
    ? TCustom[K]
    : ServerEventHandler;
