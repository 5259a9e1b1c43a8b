/** Who a published message is for. Mirrors ServiceStack's notify families. */
export type NotifyTarget =
  | { kind: "all" }
  | { kind: "channel"; value: string }
  | { kind: "subscription"; value: string }
  | { kind: "userId"; value: string }
  | { kind: "userName"; value: string }
  | { kind: "session"; value: string };

export interface PublishRequest {
  target: NotifyTarget;
  /** Targeted notifies only: deliver just to subscriptions currently in this channel. */
  channelFilter?: string | undefined;
  selector: string;
  /** The body, already one line of JSON (or empty). */
  json: string;
}

/** A message once the transport has given it its place in the global order. */
export interface PublishedMessage extends PublishRequest {
  id: number;
  createdAt: number;
}

/** The parts of a subscription that decide whether a message is addressed to it. */
export interface AddressableSubscription {
  id: string;
  userId: string;
  userName: string | null;
  sessionId: string | null;
  channels: readonly string[];
}

/** The one place that decides "is this message for this subscription" — live and on replay. */
export function isAddressedTo(message: PublishRequest, sub: AddressableSubscription): boolean {
  const { target, channelFilter } = message;
  if (channelFilter !== undefined && !sub.channels.includes(channelFilter)) return false;
  switch (target.kind) {
    case "all":
      return true;
    case "channel":
      return sub.channels.includes(target.value);
    case "subscription":
      return sub.id === target.value;
    case "userId":
      return sub.userId === target.value;
    case "userName":
      return sub.userName === target.value;
    case "session":
      return sub.sessionId === target.value;
  }
}

/** Channel messages carry `channel@`; every other family is prefix-free. */
export function channelPrefixOf(message: PublishRequest): string | undefined {
  return message.target.kind === "channel" ? message.target.value : undefined;
}

/**
 * A selector's op and target as a client may resolve them, for checking it against what the
 * server keeps for itself: both lower-cased, the css selector (`$…`) cut, and every `-` dropped
 * from the target. ServiceStack's clients (and ours) drop a target's first `-` and then match a
 * receiver's members case-insensitively, so `shapes.Snap-shot` reaches a receiver's `snapshot`:
 * a check on the selector as written would let it through.
 */
export function resolvedSelector(selector: string): { op: string; target: string } {
  const dot = selector.indexOf(".");
  const op = dot < 0 ? selector : selector.slice(0, dot);
  const target = dot < 0 ? "" : selector.slice(dot + 1).split("$", 1)[0]!;
  return { op: op.toLowerCase(), target: target.toLowerCase().replaceAll("-", "") };
}

/**
 * The `cmd.X` targets, lower-cased, that only the server writes: a forged one would redirect
 * heartbeats or fake presence.
 */
const serverOnlyCommands: ReadonlySet<string> = new Set([
  "onconnect",
  "onjoin",
  "onleave",
  "onupdate",
  "onheartbeat",
]);

/**
 * `cmd.X` targets, lower-cased, that name a client's own lifecycle hooks: the official clients
 * call `handlers[X]` for any `cmd.X`, so `cmd.onMessage` would reach `onMessage` with a body the
 * sender chose, as if it were a message the client had parsed.
 */
const clientHookCommands: ReadonlySet<string> = new Set([
  "onmessage",
  "oncommand",
  "onexception",
  "onreconnect",
  "onstop",
]);

/** The `cmd.X` targets no one may publish: the server's own frames and the clients' hooks. */
export function isReservedCommand(target: string): boolean {
  const name = target.toLowerCase();
  return serverOnlyCommands.has(name) || clientHookCommands.has(name);
}

/** onJoin/onLeave/onUpdate: the server's own presence frames. */
export const presenceSelectors: ReadonlySet<string> = new Set([
  "cmd.onJoin",
  "cmd.onLeave",
  "cmd.onUpdate",
]);

/**
 * Presence frames restate who is in a channel; a resuming client can always ask again
 * (`/event-subscribers`). They are kept for replay apart from real messages, so a flood of joins
 * and leaves can never push a real message out of the replay window.
 */
export function isPresence(message: PublishRequest): boolean {
  return presenceSelectors.has(message.selector);
}
