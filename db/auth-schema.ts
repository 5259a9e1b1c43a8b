import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The demo's accounts: a name unique ignoring case, a bcrypt hash and a role (`user` or `admin`).
 * `credential_version` counts password changes: sessions and known-browser cookies carry the
 * version they were issued under, and stop counting once it moves on (db/credential-versions.ts).
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
    credentialVersion: integer("credential_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("server_events_users_name_lower_unique").on(sql`lower(${table.name})`)],
);

export type UserRow = typeof users.$inferSelect;

/**
 * Failed sign-ins and new accounts per key (a name, an address, a known browser), counted here
 * rather than in each process so that every instance of a cluster shares one count
 * (db/auth-attempts.ts). Times are epoch milliseconds; a row can go once `expires_at` passes.
 */
export const authAttempts = pgTable(
  "server_events_auth_attempts",
  {
    /** What is counted: `signin:name`, `signin:address`, `signin:device`, `signup:address`. */
    scope: text("scope").notNull(),
    /** The SHA-256 of the name, address or browser counted (db/auth-attempts.ts). */
    key: text("key").notNull(),
    /** The attempts still inside the window, oldest first (lib/auth/attempt-window.ts). */
    hits: bigint("hits", { mode: "number" }).array().notNull(),
    blockedUntil: bigint("blocked_until", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    index("server_events_auth_attempts_expires_at_idx").on(table.expiresAt),
  ],
);
