import {
  decodeBusPayload,
  encodeControl as encodeBusControl,
  type BusPayload,
  type ControlMessage,
} from "@/lib/server-events-cluster";

/**
 * NOTIFY payloads are limited to 7,999 bytes (PostgreSQL 15). The bodies one notification carries
 * stay under this, leaving room for the `b <first> <last> <createdAt>` header built in SQL; a body
 * bigger on its own is read from the table by id ("spilled").
 */
export const INLINE_LIMIT_BYTES = 7_500;

export type Notification = BusPayload;

/** A pulse, the one control message sent without a row (see ClusterBus.sendControl). */
export function encodeControl(to: string, from: string, message: ControlMessage): string {
  return encodeBusControl(to, from, message, INLINE_LIMIT_BYTES);
}

/** Parses a batch slice (`b …`, header built by SQL, see message-queries.ts) or `c <json>`. */
export const decodeNotification = decodeBusPayload;
