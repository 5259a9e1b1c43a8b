import { z } from "zod";
import type { ConnectionState, ServerEventMessage } from "@/lib/server-events-client";

/** Bounds generous for any real subscription, small enough that no field can flood the UI. */
const id = z.string().min(1).max(200);

/** What the tabs know about the shared subscription (from the leader's `cmd.onConnect`). */
export const streamInfoSchema = z.object({
  id,
  userId: id,
  displayName: z.string().min(1).max(100),
  // Generated avatars are inline SVG data URLs of a few hundred bytes.
  profileUrl: z.string().max(8_000),
  isAuthenticated: z.boolean(),
  channels: z.array(z.string().max(100)).max(100),
});
export type StreamInfo = z.infer<typeof streamInfoSchema>;

/**
 * The `cmd.onConnect` payload as {@link StreamInfo}, or `null` (with a warning) when it does not
 * fit: the page renders the display name and matches mentions of it, so it is checked like any
 * other frame body even though only the server can send it (the client refuses forged ones).
 */
export function toStreamInfo(info: Record<string, unknown>): StreamInfo | null {
  const parsed = streamInfoSchema.safeParse({
    id: info.id,
    userId: info.userId,
    displayName: info.displayName,
    profileUrl: info.profileUrl ?? "",
    isAuthenticated: String(info.isAuthenticated) === "true",
    channels: typeof info.channels === "string" && info.channels ? info.channels.split(",") : [],
  });
  if (parsed.success) return parsed.data;
  console.warn("[server-events] ignored cmd.onConnect: malformed body", parsed.error.issues);
  return null;
}

const states = [
  "connecting",
  "open",
  "reconnecting",
  "closed",
] as const satisfies ConnectionState[];

// A relayed message keeps the fields dispatch reads; `body` is whatever JSON the frame had and is
// checked by each page's own schemas where it is used.
const messageSchema = z.looseObject({
  channel: z.string().nullable(),
  selector: z.string(),
  op: z.string(),
  target: z.string(),
  json: z.string(),
  cssSelector: z.string().optional(),
});

/** What tabs say to each other over the BroadcastChannel. */
const wireSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("channels"),
    tabId: id,
    channels: z.array(z.string()),
    hello: z.boolean().optional(),
  }),
  z.object({ type: z.literal("bye"), tabId: id }),
  z.object({ type: z.literal("state"), state: z.enum(states), info: streamInfoSchema.nullable() }),
  z.object({ type: z.literal("message"), message: messageSchema }),
]);

export type Wire =
  | { type: "channels"; tabId: string; channels: string[]; hello?: boolean | undefined }
  | { type: "bye"; tabId: string }
  | { type: "state"; state: ConnectionState; info: StreamInfo | null }
  | { type: "message"; message: ServerEventMessage };

/**
 * A message from another tab, or `undefined` when it is not one we understand: a tab still running
 * an older build after a deploy may speak an older dialect, and nothing it says may break this one.
 */
export function parseWire(data: unknown): Wire | undefined {
  const parsed = wireSchema.safeParse(data);
  return parsed.success ? (parsed.data as Wire) : undefined;
}
