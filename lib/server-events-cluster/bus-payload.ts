import type { NotifyTarget, PublishedMessage, PublishRequest } from "@/lib/server-events";
import type { ControlMessage } from "./cluster";

/**
 * What travels between instances, as one line of text: `m <id> <createdAtMs>[ <body>]` for a message
 * (without the body when it is too big for the bus and must be read from the log by id) and
 * `c <json>` for a control message. The body is a JSON tuple, so any selector, channel or user id
 * survives (ServiceStack's Redis topic splits keys on `.` and breaks on such names, §3.9).
 */
export type BusPayload =
  | { kind: "message"; id: number; createdAt: number; message: PublishedMessage | null }
  | { kind: "control"; to: string; from: string; message: ControlMessage };

type Body = [
  kind: NotifyTarget["kind"],
  value: string | null,
  channelFilter: string | null,
  selector: string,
  json: string,
];

/** The message without its id and time, which the bus assigns when it publishes. */
export function encodeBody(request: PublishRequest): string {
  const target = request.target;
  const body: Body = [
    target.kind,
    target.kind === "all" ? null : target.value,
    request.channelFilter ?? null,
    request.selector,
    request.json,
  ];
  return JSON.stringify(body);
}

/** The body, or null when it is over `limitBytes` — measured in bytes, not characters. */
export function encodeInlineBody(request: PublishRequest, limitBytes: number): string | null {
  const encoded = encodeBody(request);
  return Buffer.byteLength(encoded, "utf8") <= limitBytes ? encoded : null;
}

export function encodeControl(
  to: string,
  from: string,
  message: ControlMessage,
  limitBytes = Number.POSITIVE_INFINITY,
): string {
  const payload = `c ${JSON.stringify({ to, from, message })}`;
  if (Buffer.byteLength(payload, "utf8") > limitBytes)
    throw new Error(`control message too large for the bus: ${message.type}`);
  return payload;
}

export function decodeBusPayload(payload: string): BusPayload {
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
    message: body === undefined ? null : decodeBody(id, createdAt, body),
  };
}

/** A body from `encodeBody`, with the id and time the bus gave it. */
export function decodeBody(id: number, createdAt: number, body: string): PublishedMessage {
  const [kind, value, channelFilter, selector, json] = JSON.parse(body) as Body;
  return toPublished({ id, createdAt, kind, value, channelFilter, selector, json });
}

/** A stored row (or a decoded body) as the core's message. */
export function toPublished(row: {
  id: number;
  createdAt: number;
  kind: string;
  value: string | null;
  channelFilter: string | null;
  selector: string;
  json: string;
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
  };
}
