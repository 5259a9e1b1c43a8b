import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * The demo's accounts: a name unique ignoring case, a bcrypt hash and a role (`user` or `admin`).
 * Names are unique ignoring case because people read them, and "Alice" and "alice" would pass for
 * each other in a chat or an `@mention`; sign-in looks names up the same way.
 */
export const users = pgTable(
  "server_events_users",
  {
    id: text("id")
      .primaryKey()
      .default(sql`gen_random_uuid()::text`),
    name: text("name").notNull().unique(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull().default("user"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("server_events_users_name_lower_unique").on(sql`lower(${table.name})`)],
);

export type UserRow = typeof users.$inferSelect;
