import type { ServerEventMessage } from "./types";

/** System commands the server writes to one connection only, so never with a `channel@` prefix. */
const privateCommands = new Set(["onConnect", "onHeartbeat"]);
/** Presence commands the server writes per channel, so always with a `channel@` prefix. */
const channelCommands = new Set(["onJoin", "onLeave", "onUpdate"]);
/** The client's own lifecycle hooks: no frame may call them (`cmd.onMessage` would, as a handler). */
const lifecycleHooks = new Set(["onMessage", "onCommand", "onException", "onReconnect", "onStop"]);

/**
 * Why a frame that names a built-in command (`cmd.onConnect`, `cmd.onJoin`, …) cannot be the
 * server's own, or `undefined` when it may be. A server writes `cmd.onConnect` and
 * `cmd.onHeartbeat` to one subscription, bare; `cmd.onJoin|onLeave|onUpdate` to a channel, as
 * `home@cmd.onJoin`; none of them with a `$cssSelector`. Anything else came from a subscriber who
 * published a reserved selector (`POST /channels/home/raw {selector: "cmd.onConnect"}` reaches
 * everyone as `home@cmd.onConnect`), and acting on it would let them rewrite our subscription id,
 * heartbeat and unregister URLs, or the member list.
 *
 * A frame naming one of the client's lifecycle hooks (`cmd.onMessage`, `cmd.onStop`, …) is never
 * the server's: dispatched as a handler, it would hand that hook a body the sender chose.
 *
 * This is a check of the frame's *shape* only: a bare `cmd.onConnect` sent privately to a user is
 * indistinguishable on the wire, which is why the client also accepts just one per stream.
 */
export function systemFrameProblem(request: ServerEventMessage): string | undefined {
  const { op, target, channel, cssSelector } = request;
  if (op !== "cmd") return undefined;
  if (lifecycleHooks.has(target)) return `cmd.${target} names the client's own hook`;
  const isPrivate = privateCommands.has(target);
  const isChannel = channelCommands.has(target);
  if (!isPrivate && !isChannel) return undefined;
  if (cssSelector !== undefined) return `cmd.${target} never carries a $cssSelector`;
  if (isPrivate && channel !== null) return `cmd.${target} is never sent to a channel`;
  if (isChannel && channel === null) return `cmd.${target} is always sent to a channel`;
  return undefined;
}
