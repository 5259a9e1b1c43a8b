// The module itself, not the core's index: this file is bundled into the chat page too.
import { defineMessages } from "@/lib/server-events/typed-messages";
import { chatMessageSchema, shortTextSchema } from "../_components/chat-messages";

/**
 * The chat's typed messages, declared once: the server publishes them with `typedNotifier`
 * (app/_server/chat-publisher.ts, app/admin/_server/admin-services.ts) and the page handles them
 * with `typedHandlers` (app/chat/_components/use-chat-events.ts), both typed and checked from
 * these schemas. `/cmd.announce …` typed into the composer is a raw message, sent unchecked; the
 * page still parses it with the same schema, and does not present it as the operators'.
 * @see docs/protocol.md, "Typed messages"
 */
export const chatCatalog = defineMessages({
  "cmd.chat": chatMessageSchema,
  "cmd.announce": shortTextSchema,
  // The admin dashboard's announcement: only its service may send it (app/_server/demo-services.ts),
  // so the page can say it comes from the operators. Anyone may send `cmd.announce`.
  "cmd.operatorNotice": shortTextSchema,
});
