import { z } from "zod";
import type { ChatMessage } from "@/app/_server/chat-history";
import { MAX_CHAT_LENGTH_CEILING } from "@/lib/chat-limits";

/**
 * What the chat accepts from the wire, one schema per selector it handles. Fields it renders are
 * bounded; long free text is cut rather than refused, so an over-long message still shows up.
 */

/**
 * Longest chat message shown; longer ones end with "…". As long as the server may ever be set to
 * take (the server refuses longer ones first, at its own, usually lower, limit).
 */
export const MAX_MESSAGE_LENGTH = MAX_CHAT_LENGTH_CEILING;
/** Longest announcement or window title shown. */
export const MAX_SHORT_TEXT_LENGTH = 500;

const cut = (max: number) => (text: string) =>
  text.length > max ? `${text.slice(0, max)}…` : text;

const id = z.string().min(1).max(200);
const name = z.string().min(1).max(100);

/**
 * A `cmd.chat` body, and each item of `GET /channels/{channel}/messages`. Not annotated as
 * `z.ZodType<ChatMessage>`, which would erase its input type: the server's typed notifier needs it
 * (app/chat/_lib/chat-catalog.ts).
 */
export const chatMessageSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(100),
  fromUserId: id,
  fromName: z.string().max(100),
  displayName: name,
  message: z.string().transform(cut(MAX_MESSAGE_LENGTH)),
  userAuthId: z
    .string()
    .max(200)
    .nullish()
    .transform((v) => v ?? null),
  private: z.boolean(),
  createdAt: z.number().int().nonnegative(),
  selector: z.string().max(200),
  toUserId: id.optional(),
  toName: name.optional(),
}) satisfies z.ZodType<ChatMessage>;

/** Free text as a frame body: a string, or a number or boolean read as text. */
export const textSchema = z
  .union([z.string(), z.number().finite(), z.boolean()])
  .transform((value) => String(value));

/** Short free text: `cmd.announce`, `document.title`. */
export const shortTextSchema = textSchema.transform(cut(MAX_SHORT_TEXT_LENGTH));
