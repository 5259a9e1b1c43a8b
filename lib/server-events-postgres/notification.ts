import type { PublishRequest } from "@/lib/server-events";
import {
  decodeBusPayload,
  encodeControl as encodeBusControl,
  encodeInlineBody as encodeBusInlineBody,
  type BusPayload,
  type ControlMessage,
} from "@/lib/server-events-cluster";

export { toPublished } from "@/lib/server-events-cluster";

/**
 * NOTIFY payloads are limited to 7,999 bytes (PostgreSQL 15). A message whose body fits under this,
 * with room for the `m <id> <createdAt> ` prefix, travels inline; a bigger one is read from the
 * table by id ("spilled").
 */
export const INLINE_LIMIT_BYTES = 7_500;

export type Notification = BusPayload;

/** The inline body of a message, or null when it must be spilled. Measured in bytes, not chars. */
export function encodeInlineBody(request: PublishRequest): string | null {
  return encodeBusInlineBody(request, INLINE_LIMIT_BYTES);
}

export function encodeControl(to: string, from: string, message: ControlMessage): string {
  return encodeBusControl(to, from, message, INLINE_LIMIT_BYTES);
}

/** Parses `m <id> <createdAtMs>[ <body>]` (built by SQL, see postgres-bus.ts) or `c <json>`. */
export const decodeNotification = decodeBusPayload;
