import { bigint, boolean, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The Postgres provider's own tables. It creates and migrates them itself (./migrations.ts); an
 * app that manages its database with drizzle-kit composes this file into its schema so that its
 * own migrations know these tables exist.
 */

/**
 * The message log: the truth for cluster delivery and for Last-Event-ID replay. NOTIFY only wakes
 * the listeners up (or carries a copy when it fits). Rows older than the replay window are deleted.
 * Ids come from the `server_events.messages.last_id` row of `sequences` (message-queries.ts): the
 * first is 2, because id 1 is the `cmd.onConnect` id of a connection made before anything was
 * published, so every id a client holds stays positive and below the first real message. Rows of
 * kind `control` are control messages for instances (ClusterBus.sendControl); replay skips them.
 */
export const messages = pgTable(
  "server_events_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    targetKind: text("target_kind").notNull(),
    targetValue: text("target_value"),
    channelFilter: text("channel_filter"),
    selector: text("selector").notNull(),
    json: text("json").notNull(),
  },
  (t) => [index("server_events_messages_created_at_idx").on(t.createdAt)],
);

/** Every open subscription in the cluster, owned by the instance holding its stream. */
export const subscriptions = pgTable(
  "server_events_subscriptions",
  {
    id: text("id").primaryKey(),
    instanceId: text("instance_id").notNull(),
    userId: text("user_id").notNull(),
    userName: text("user_name"),
    sessionId: text("session_id"),
    displayName: text("display_name").notNull(),
    isAuthenticated: boolean("is_authenticated").notNull(),
    profileUrl: text("profile_url").notNull(),
    channels: text("channels").array().notNull(),
    meta: jsonb("meta").$type<Record<string, string>>().notNull(),
    connectArgs: jsonb("connect_args").$type<Record<string, string>>().notNull(),
    serverArgs: jsonb("server_args").$type<Record<string, string>>().notNull(),
    userAddress: text("user_address"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    lastPulseAt: timestamp("last_pulse_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("server_events_subscriptions_instance_idx").on(t.instanceId),
    index("server_events_subscriptions_user_id_idx").on(t.userId),
    index("server_events_subscriptions_last_pulse_idx").on(t.lastPulseAt),
    index("server_events_subscriptions_channels_idx").using("gin", t.channels),
  ],
);

/** Named counters (`getNextSequence`), the last message id and the message log's pruning watermark. */
export const sequences = pgTable("server_events_sequences", {
  name: text("name").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull(),
});

/**
 * Per audience (`all`, `channel:home`, `userId:7`, …), the highest id of a real message pruned
 * from the log: a resume is incomplete only when one of its own audiences lost a message after
 * its cursor (message-queries.ts, `prune`). At most 10,000 rows; lower marks fold into the
 * `server_events.messages.pruned_through` row of `sequences`.
 */
export const prunedAudiences = pgTable("server_events_pruned_audiences", {
  audience: text("audience").primaryKey(),
  prunedThrough: bigint("pruned_through", { mode: "number" }).notNull(),
});
