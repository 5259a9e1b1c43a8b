import type { NotifyTarget, PublishedMessage, PublishRequest } from "@/lib/server-events";
import type { ControlMessage } from "./cluster";

/** A control message as the log keeps it: for one instance (or `ALL_INSTANCES`), from one. */
export interface ControlRequest {
  to: string;
  from: string;
  control: ControlMessage;
}

/** A control message with its place in the log's order. */
export interface LoggedControl extends ControlRequest {
  id: number;
  createdAt: number;
}

/** What a bus appends to its log: a message for subscribers, or a control message for instances. */
export type BusRequest = PublishRequest | ControlRequest;

/** A log entry: what a bus delivers, in id order. */
export type BusEntry = PublishedMessage | LoggedControl;

export function isControl(entry: BusRequest): entry is ControlRequest {
  return "control" in entry;
}

/**
 * What travels between instances, as text:
 * - `b <first> <last> <createdAtMs>` followed by one `\n<body>` per id from first to last: a slice
 *   of one committed batch. Without bodies it is a reference: read ids first…last from the log.
 * - `m <id> <createdAtMs>[ <body>]`: one message (what instances before batching sent).
 * - `c <json>`: a control message that is not logged (a pulse: the next heartbeat repeats it).
 * A body is a JSON tuple, so any selector, channel or user id survives (ServiceStack's Redis topic
 * splits keys on `.` and breaks on such names; docs/protocol.md, "Names"), and never holds a raw line break.
 */
export type BusPayload =
  | { kind: "batch"; first: number; last: number; createdAt: number; entries: BusEntry[] | null }
  | { kind: "control"; to: string; from: string; message: ControlMessage };

/** A log row's columns (Postgres) or a stream entry's body (Redis), for messages and controls alike. */
export interface EntryColumns {
  kind: string;
  value: string | null;
  channelFilter: string | null;
  selector: string;
  json: string;
}

type Body = [
  kind: string,
  value: string | null,
  channelFilter: string | null,
  selector: string,
  json: string,
];

/** A control message is logged as kind `control` addressed to its instance; replay never matches it. */
export function toColumns(request: BusRequest): EntryColumns {
  if (isControl(request)) {
    const { to, from, control } = request;
    const json = JSON.stringify({ from, message: control });
    return { kind: "control", value: to, channelFilter: null, selector: control.type, json };
  }
  const target = request.target;
  return {
    kind: target.kind,
    value: target.kind === "all" ? null : target.value,
    channelFilter: request.channelFilter ?? null,
    selector: request.selector,
    json: request.json,
  };
}

/** The entry without its id and time, which the bus assigns when it commits. */
export function encodeBody(request: BusRequest): string {
  const c = toColumns(request);
  const body: Body = [c.kind, c.value, c.channelFilter, c.selector, c.json];
  return JSON.stringify(body);
}

/** A body from `encodeBody`, with the id and time the bus gave it. */
export function decodeBody(id: number, createdAt: number, body: string): BusEntry {
  const [kind, value, channelFilter, selector, json] = JSON.parse(body) as Body;
  return toEntry({ id, createdAt, kind, value, channelFilter, selector, json });
}

/** A stored row (or a decoded body) as a message for the core, or a control message. */
export function toEntry(row: EntryColumns & { id: number; createdAt: number }): BusEntry {
  if (row.kind === "control") {
    const { from, message } = JSON.parse(row.json) as { from: string; message: ControlMessage };
    return { id: row.id, createdAt: row.createdAt, to: row.value ?? "", from, control: message };
  }
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

/** The header of a batch payload; the bus builds the same text where the ids are known. */
export function batchHeader(first: number, last: number, createdAt: number): string {
  return `b ${first} ${last} ${createdAt}`;
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
  if (payload.startsWith("b ")) return decodeBatch(payload);
  const match = /^m (\d+) (-?\d+)(?: (.*))?$/su.exec(payload);
  if (!match) throw new Error(`unexpected notification payload: ${payload.slice(0, 80)}`);
  const id = Number(match[1]);
  const createdAt = Number(match[2]);
  const body = match[3];
  const entries = body === undefined ? null : [decodeBody(id, createdAt, body)];
  return { kind: "batch", first: id, last: id, createdAt, entries };
}

function decodeBatch(payload: string): BusPayload {
  const newline = payload.indexOf("\n");
  const header = newline === -1 ? payload : payload.slice(0, newline);
  const match = /^b (\d+) (\d+) (-?\d+)$/u.exec(header);
  if (!match) throw new Error(`unexpected notification payload: ${payload.slice(0, 80)}`);
  const [first, last, createdAt] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (newline === -1) return { kind: "batch", first, last, createdAt, entries: null };
  const bodies = payload.slice(newline + 1).split("\n");
  if (bodies.length !== last - first + 1)
    throw new Error(`batch ${first}…${last} carries ${bodies.length} bodies`);
  const entries = bodies.map((body, n) => decodeBody(first + n, createdAt, body));
  return { kind: "batch", first, last, createdAt, entries };
}
