import { z } from "zod";
import { describeFrame, type ServerEventMessage } from "@/lib/server-events-client";

type Frame = Pick<ServerEventMessage, "channel" | "selector" | "body">;

/**
 * The frame's body as `schema` reads it, or `undefined` (with a console warning naming the frame)
 * when it does not fit. Anyone who can publish to a channel can send any selector with any JSON,
 * so a page handles a body only after this: a `/cmd.chat hi` whose body is a string, not a chat
 * message, is dropped here instead of breaking every reader's render.
 */
export function parseFrameBody<T>(schema: z.ZodType<T>, frame: Frame): T | undefined {
  const parsed = schema.safeParse(frame.body);
  if (parsed.success) return parsed.data;
  console.warn(`[server-events] dropped ${describeFrame(frame)}: ${z.prettifyError(parsed.error)}`);
  return undefined;
}

/**
 * The items of a JSON response that `schema` accepts, in order; the others are dropped with one
 * warning. A list answer is as untrusted as a frame: chat history holds what others posted.
 */
export function parseList<T>(schema: z.ZodType<T>, data: unknown, what: string): T[] {
  if (!Array.isArray(data)) {
    console.warn(`[server-events] dropped ${what}: not a list`);
    return [];
  }
  const items: T[] = [];
  for (const item of data) {
    const parsed = schema.safeParse(item);
    if (parsed.success) items.push(parsed.data);
  }
  if (items.length < data.length)
    console.warn(`[server-events] dropped ${data.length - items.length} malformed ${what} items`);
  return items;
}
