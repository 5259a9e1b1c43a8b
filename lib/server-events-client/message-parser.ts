import { ServerEventsClientError } from "./errors";
import type { ServerEventMessage, ServerEventType } from "./types";

/** The built-in `cmd.*` names and the message type each produces. */
const builtInTypes: Readonly<Record<string, ServerEventType>> = {
  onConnect: "ServerEventConnect",
  onHeartbeat: "ServerEventHeartbeat",
  onJoin: "ServerEventJoin",
  onLeave: "ServerEventLeave",
  onUpdate: "ServerEventUpdate",
};

/** The message type of a `cmd.{name}`, or `undefined` when it is not a built-in command. */
export function builtInMessageType(name: string): ServerEventType | undefined {
  return Object.hasOwn(builtInTypes, name) ? builtInTypes[name] : undefined;
}

/** `[before, after]` at the first `separator`, or `[text]` when there is none. */
export function splitOnFirst(text: string, separator: string): [string] | [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}

function parseBody(json: string): unknown {
  if (json === "") return null;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/**
 * Parses one `data:` line, `[channel@]op.target[$cssSelector] json`, exactly as the official
 * clients do: the selector ends at the first space, the channel at the first `@`, the op at the
 * first `.`, the target at the first `$`; `%20` in the target part becomes a space.
 *
 * @param eventId the frame's `id:` (already an integer)
 * @throws ServerEventsClientError `invalid-frame` when the selector has no `.`
 * @see docs/protocol.md, "Frames"
 */
export function parseServerEventData(data: string, eventId: number): ServerEventMessage {
  const [head, json = ""] = splitOnFirst(data, " ");
  const channelParts = splitOnFirst(head, "@");
  const [channel, selector] = channelParts.length === 2 ? channelParts : [null, channelParts[0]];
  const opParts = splitOnFirst(selector, ".");
  if (opParts.length === 1) {
    throw new ServerEventsClientError("invalid-frame", `invalid selector format: ${selector}`);
  }
  const [op, targetPart] = opParts;
  const [target, cssSelector] = splitOnFirst(targetPart.replaceAll("%20", " "), "$");
  return {
    type: builtInMessageType(target) ?? "ServerEventMessage",
    eventId,
    channel,
    data,
    selector,
    json,
    body: parseBody(json),
    op,
    target,
    cssSelector,
    meta: {},
  };
}

/**
 * The message with the body's own properties copied over it (official `mergedBody`), except
 * that the frame's own fields win: a body cannot pass itself off as another selector, channel
 * or event id (`{"selector":"cmd.onJoin"}` would otherwise read as a presence change).
 */
export function mergeBody<T extends ServerEventMessage>(message: ServerEventMessage): T {
  const { body } = message;
  return (
    typeof body === "object" && body !== null ? { ...message, ...body, ...message } : { ...message }
  ) as T;
}

/** Parses an `id:` field as the official client does (`parseInt`), falling back to `previous`. */
export function parseEventId(id: string | undefined, previous: number): number {
  if (id === undefined) return previous;
  const parsed = Number.parseInt(id, 10);
  return Number.isNaN(parsed) ? previous : parsed;
}
