import type { NotifyTarget, PublishedMessage, PublishRequest } from "@/lib/server-events";
import type { ControlMessage } from "./cluster";

/**
 * NOTIFY payloads are limited to 7,999 bytes (PostgreSQL 15). A message whose body fits under this,
 * with room for the `m <id> <createdAt> ` prefix, travels inline; a bigger one is read from the
 * table by id ("spilled").
 */
export const INLINE_LIMIT_BYTES = 7_500;

type Body = [
  kind: NotifyTarget["kind"],
  value: string | null,
  channelFilter: string | null,
  selector: string,
  json: string,
  ephemeral: 0 | 1,
];

export type Notification =
  | { kind: "message"; id: number; createdAt: number; message: PublishedMessage | null }
  | { kind: "control"; to: string; from: string; message: ControlMessage };

/** The inline body of a message, or null when it must be spilled. Measured in bytes, not chars. */
export function encodeInlineBody(request: PublishRequest): string | null {
  const target = request.target;
  const body: Body = [
    target.kind,
    target.kind === "all" ? null : target.value,
    request.channelFilter ?? null,
    request.selector,
    request.json,
    request.ephemeral ? 1 : 0,
  ];
  const encoded = JSON.stringify(body);
  return Buffer.byteLength(encoded, "utf8") <= INLINE_LIMIT_BYTES ? encoded : null;
}

export function encodeControl(to: string, from: string, message: ControlMessage): string {
  const payload = `c ${JSON.stringify({ to, from, message })}`;
  if (Buffer.byteLength(payload, "utf8") > INLINE_LIMIT_BYTES)
    throw new Error(`control message too large for NOTIFY: ${message.type}`);
  return payload;
}

/** Parses `m <id> <createdAtMs>[ <body>]` (built by SQL, see postgres-bus.ts) or `c <json>`. */
export function decodeNotification(payload: string): Notification {
  if (payload.startsWith("c ")) {
    const { to, from, message } = JSON.parse(payload.slice(2)) as {
      to: string;
      from: string;
      message: ControlMessage;
    };
    return { kind: "control", to, from, message };
  }
  const match = /^m (\d+) (-?\d+)(?: (.*))?$/su.exec(payload);
  if (!match) throw new Error(`unexpected notification payload: ${payload.slice(0, 80)}`);
  const id = Number(match[1]);
  const createdAt = Number(match[2]);
  const body = match[3];
  return {
    kind: "message",
    id,
    createdAt,
    message: body === undefined ? null : fromBody(id, createdAt, JSON.parse(body) as Body),
  };
}

function fromBody(id: number, createdAt: number, body: Body): PublishedMessage {
  const [kind, value, channelFilter, selector, json, ephemeral] = body;
  return toPublished({ id, createdAt, kind, value, channelFilter, selector, json, ephemeral });
}

/** A row of `server_events_messages` (or an inline body) as the core's message. */
export function toPublished(row: {
  id: number;
  createdAt: number;
  kind: string;
  value: string | null;
  channelFilter: string | null;
  selector: string;
  json: string;
  ephemeral: boolean | 0 | 1;
}): PublishedMessage {
  const target = (
    row.kind === "all" ? { kind: "all" } : { kind: row.kind, value: row.value ?? "" }
  ) as NotifyTarget;
  return {
    id: row.id,
    createdAt: row.createdAt,
    target,
    channelFilter: row.channelFilter ?? undefined,
    selector: row.selector,
    json: row.json,
    ephemeral: Boolean(row.ephemeral),
  };
}
