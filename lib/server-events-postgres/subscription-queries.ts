import type { StoredSubscription } from "@/lib/server-events-cluster";

/** `server_events_subscriptions` as pg returns it (timestamps as Dates, jsonb parsed). */
export interface SubscriptionRow {
  id: string;
  instance_id: string;
  user_id: string;
  user_name: string | null;
  session_id: string | null;
  display_name: string;
  is_authenticated: boolean;
  profile_url: string;
  channels: string[];
  meta: Record<string, string>;
  connect_args: Record<string, string>;
  server_args: Record<string, string>;
  user_address: string | null;
  created_at: Date;
  last_pulse_at: Date;
}

const columns = `id, instance_id, user_id, user_name, session_id, display_name, is_authenticated,
  profile_url, channels, meta, connect_args, server_args, user_address, created_at, last_pulse_at`;
/** Oldest first, as the memory provider lists them. */
const byAge = "ORDER BY created_at, id";

/** The subscription store's SQL, parameterised (the same plain-SQL style as message-queries.ts). */
export const subscriptionQueries = {
  /** $1 id, $2 instance, $3…$14 the subscription's columns; an existing row is replaced. */
  upsert: `INSERT INTO server_events_subscriptions (id, instance_id, user_id, user_name, session_id,
      display_name, is_authenticated, profile_url, channels, meta, connect_args, server_args,
      user_address, created_at, last_pulse_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
    ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, user_id = excluded.user_id,
      user_name = excluded.user_name, session_id = excluded.session_id,
      display_name = excluded.display_name, is_authenticated = excluded.is_authenticated,
      profile_url = excluded.profile_url, channels = excluded.channels, meta = excluded.meta,
      connect_args = excluded.connect_args, server_args = excluded.server_args,
      user_address = excluded.user_address, created_at = excluded.created_at,
      last_pulse_at = excluded.last_pulse_at`,
  remove: `DELETE FROM server_events_subscriptions WHERE id = $1 RETURNING ${columns}`,
  updateChannels: "UPDATE server_events_subscriptions SET channels = $2, meta = $3 WHERE id = $1",
  get: `SELECT ${columns} FROM server_events_subscriptions WHERE id = $1`,
  byUserId: `SELECT ${columns} FROM server_events_subscriptions WHERE user_id = $1 ${byAge}`,
  all: `SELECT ${columns} FROM server_events_subscriptions ${byAge}`,
  inAnyChannel: `SELECT ${columns} FROM server_events_subscriptions
    WHERE channels && $1::text[] ${byAge}`,
  touch: "UPDATE server_events_subscriptions SET last_pulse_at = now() WHERE id = ANY($1::text[])",
  pulse: `UPDATE server_events_subscriptions SET last_pulse_at = now() WHERE id = $1
    RETURNING instance_id`,
  idsOf: "SELECT id FROM server_events_subscriptions WHERE instance_id = $1",
  /** $1 the instance whose rows stay, $2 the idle time in milliseconds. */
  removeExpired: `DELETE FROM server_events_subscriptions
    WHERE instance_id <> $1 AND last_pulse_at < now() - $2::float8 * interval '1 millisecond'
    RETURNING ${columns}`,
  removeInstance: `DELETE FROM server_events_subscriptions WHERE instance_id = $1
    RETURNING ${columns}`,
  removeAll: "DELETE FROM server_events_subscriptions",
} as const;

export function toStored(row: SubscriptionRow): StoredSubscription {
  return {
    id: row.id,
    instanceId: row.instance_id,
    userId: row.user_id,
    userName: row.user_name,
    sessionId: row.session_id,
    displayName: row.display_name,
    isAuthenticated: row.is_authenticated,
    profileUrl: row.profile_url,
    channels: row.channels,
    meta: row.meta,
    connectArgs: row.connect_args,
    serverArgs: row.server_args,
    userAddress: row.user_address,
    createdAt: row.created_at.getTime(),
    lastPulseAt: row.last_pulse_at.getTime(),
  };
}
