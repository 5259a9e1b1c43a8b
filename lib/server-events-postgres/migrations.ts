import type { Pool } from "pg";

/** The same step as db/migrations/0004_message_id_counter.sql (the app's drizzle-kit migrations). */
const MESSAGE_ID_COUNTER_SQL = `
DO $$
BEGIN
  IF to_regclass('server_events_message_ids') IS NOT NULL THEN
    INSERT INTO server_events_sequences AS s (name, value)
    SELECT 'server_events.messages.last_id', GREATEST(1,
      (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
       FROM server_events_message_ids),
      COALESCE((SELECT max(id) FROM server_events_messages), 0))
    ON CONFLICT (name) DO UPDATE SET value = GREATEST(s.value, excluded.value);
    DROP SEQUENCE server_events_message_ids;
  END IF;
END $$;`;

/**
 * The provider's schema, as ordered steps. Each is idempotent (`IF NOT EXISTS`), so a database
 * whose tables an app already created through its own drizzle-kit migrations (the app's
 * drizzle.config.ts composes ./schema.ts) is brought to the same place without error. Kept in
 * code, not in .sql files, so the provider finds them however it is bundled.
 */
export const serverEventsMigrations: readonly { id: string; sql: string }[] = [
  {
    id: "0001_tables",
    sql: `
CREATE SEQUENCE IF NOT EXISTS server_events_message_ids START WITH 2;
CREATE TABLE IF NOT EXISTS server_events_messages (
  id bigint PRIMARY KEY NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  target_kind text NOT NULL,
  target_value text,
  channel_filter text,
  selector text NOT NULL,
  json text NOT NULL
);
CREATE TABLE IF NOT EXISTS server_events_sequences (
  name text PRIMARY KEY NOT NULL,
  value bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS server_events_subscriptions (
  id text PRIMARY KEY NOT NULL,
  instance_id text NOT NULL,
  user_id text NOT NULL,
  user_name text,
  session_id text,
  display_name text NOT NULL,
  is_authenticated boolean NOT NULL,
  profile_url text NOT NULL,
  channels text[] NOT NULL,
  meta jsonb NOT NULL,
  connect_args jsonb NOT NULL,
  server_args jsonb NOT NULL,
  user_address text,
  created_at timestamp with time zone NOT NULL,
  last_pulse_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE INDEX IF NOT EXISTS server_events_messages_created_at_idx
  ON server_events_messages USING btree (created_at);
CREATE INDEX IF NOT EXISTS server_events_subscriptions_instance_idx
  ON server_events_subscriptions USING btree (instance_id);
CREATE INDEX IF NOT EXISTS server_events_subscriptions_user_id_idx
  ON server_events_subscriptions USING btree (user_id);
CREATE INDEX IF NOT EXISTS server_events_subscriptions_last_pulse_idx
  ON server_events_subscriptions USING btree (last_pulse_at);
CREATE INDEX IF NOT EXISTS server_events_subscriptions_channels_idx
  ON server_events_subscriptions USING gin (channels);`,
  },
  {
    id: "0002_drop_message_ephemeral",
    sql: `ALTER TABLE server_events_messages DROP COLUMN IF EXISTS ephemeral;`,
  },
  {
    // Ids now come from a counter row updated inside the publishing transaction (group commit):
    // unlike a sequence it rolls back with a failed batch, so ids stay gap-free. The counter
    // starts where the sequence stopped; dropping the sequence makes an instance still running
    // the old code fail to publish instead of handing out ids twice.
    id: "0003_message_id_counter",
    sql: MESSAGE_ID_COUNTER_SQL,
  },
  {
    // Prune marks per audience: a flood in one channel no longer costs every resume its
    // completeness (message-queries.ts, `prune`).
    id: "0004_pruned_audiences",
    sql: `CREATE TABLE IF NOT EXISTS server_events_pruned_audiences (
  audience text PRIMARY KEY NOT NULL,
  pruned_through bigint NOT NULL
);`,
  },
];

/** Any constant shared by every instance, apart from the app's own migration lock. */
const MIGRATION_LOCK_KEY = 0x5345_5050; // "SEPP"

/**
 * Applies the steps this database has not had yet, recorded in `server_events_migrations`.
 * Instances that start together wait on an advisory lock, so exactly one applies them.
 */
export async function migrateServerEvents(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS server_events_migrations (
        id text PRIMARY KEY, applied_at timestamp with time zone DEFAULT now() NOT NULL)`);
      const { rows } = await client.query<{ id: string }>(
        "SELECT id FROM server_events_migrations",
      );
      const applied = new Set(rows.map((row) => row.id));
      for (const migration of serverEventsMigrations) {
        if (applied.has(migration.id)) continue;
        await client.query("BEGIN");
        try {
          await client.query(migration.sql);
          await client.query("INSERT INTO server_events_migrations (id) VALUES ($1)", [
            migration.id,
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
