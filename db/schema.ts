import { sql } from "drizzle-orm";
import { bigint, boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export * from "./auth-schema";

// The Server Events tables belong to their provider (lib/server-events-postgres/schema.ts, with
// its own migrations); drizzle.config.ts composes both schemas for drizzle-kit.

/** The demo chat's recent public messages per channel. */
export const chatMessages = pgTable(
  "server_events_chat_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    fromUserId: text("from_user_id").notNull(),
    fromName: text("from_name").notNull(),
    displayName: text("display_name").notNull(),
    message: text("message").notNull(),
    userAuthId: text("user_auth_id"),
    isPrivate: boolean("private").notNull().default(false),
    selector: text("selector").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index("server_events_chat_messages_channel_id_idx").on(t.channel, t.id)],
);

export type ChatMessageRow = typeof chatMessages.$inferSelect;
