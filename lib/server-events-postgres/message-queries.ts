import type { PublishedMessage } from "@/lib/server-events";
import { toPublished } from "./notification";

/** Any constant shared by every instance: serializes message id assignment with commit. */
export const PUBLISH_LOCK_KEY = 0x5345_5042; // "SEPB"

export interface MessageRow {
  id: string;
  created_at_ms: string;
  target_kind: string;
  target_value: string | null;
  channel_filter: string | null;
  selector: string;
  json: string;
}

const columns = `id, (extract(epoch FROM created_at) * 1000)::bigint AS created_at_ms,
  target_kind, target_value, channel_filter, selector, json`;

// The `m <id> <createdAtMs>` prefix is built in SQL because the id is only known there.
const notifyPayload = `'m ' || id || ' ' || (extract(epoch FROM created_at) * 1000)::bigint`;

/**
 * The message log's SQL, parameterised. Publishing is one statement: the advisory lock is taken
 * before `nextval`, and released at commit, so a later id can never commit before an earlier one
 * (docs/protocol.md, "Replay": replay must not skip a message committed late).
 */
export const messageQueries = {
  prunedThroughKey: "server_events.messages.pruned_through",

  publish: `WITH lock AS (SELECT pg_advisory_xact_lock($1)),
    message AS (
      INSERT INTO server_events_messages
        (id, target_kind, target_value, channel_filter, selector, json)
      SELECT nextval('server_events_message_ids'), $2, $3, $4, $5, $6 FROM lock
      RETURNING id, created_at)
    SELECT pg_notify($7, ${notifyPayload} || $8::text) FROM message`,

  range: `SELECT ${columns} FROM server_events_messages WHERE id > $1 AND id <= $2 ORDER BY id`,

  after: `SELECT ${columns} FROM server_events_messages WHERE id > $1 ORDER BY id LIMIT $2`,

  replay: `SELECT ${columns} FROM server_events_messages
    WHERE id > $1 AND id <= $2 AND (
      target_kind = 'all'
      OR (target_kind = 'channel' AND target_value = ANY($3::text[]))
      OR (target_kind = 'subscription' AND target_value = $4)
      OR (target_kind = 'userId' AND target_value = $5)
      OR (target_kind = 'userName' AND target_value = $6)
      OR (target_kind = 'session' AND target_value = $7))
    ORDER BY id`,

  head: `SELECT GREATEST(1,
    COALESCE((SELECT max(id) FROM server_events_messages), 0),
    COALESCE((SELECT value FROM server_events_sequences WHERE name = $1), 0)) AS head`,

  prunedThrough: `SELECT value FROM server_events_sequences WHERE name = $1`,

  nextSequence: `INSERT INTO server_events_sequences (name, value) VALUES ($1, 1)
    ON CONFLICT (name) DO UPDATE SET value = server_events_sequences.value + 1
    RETURNING value`,

  /** Deletes what left the replay window and remembers the highest id deleted. */
  prune: `WITH pruned AS (
      DELETE FROM server_events_messages
      WHERE created_at < now() - $1::float8 * interval '1 millisecond'
         -- The count limit counts real messages only: presence frames never push one out.
         OR id <= (SELECT id FROM server_events_messages
                   WHERE selector NOT IN ('cmd.onJoin', 'cmd.onLeave', 'cmd.onUpdate')
                   ORDER BY id DESC OFFSET $2 LIMIT 1)
      RETURNING id)
    INSERT INTO server_events_sequences (name, value)
    SELECT $3::text, max(id) FROM pruned HAVING count(*) > 0
    ON CONFLICT (name) DO UPDATE
      SET value = GREATEST(server_events_sequences.value, excluded.value)`,

  pruneAll: `WITH pruned AS (DELETE FROM server_events_messages RETURNING id)
    INSERT INTO server_events_sequences (name, value)
    SELECT $1::text, max(id) FROM pruned HAVING count(*) > 0
    ON CONFLICT (name) DO UPDATE
      SET value = GREATEST(server_events_sequences.value, excluded.value)`,

  toMessage(row: MessageRow): PublishedMessage {
    return toPublished({
      id: Number(row.id),
      createdAt: Number(row.created_at_ms),
      kind: row.target_kind,
      value: row.target_value,
      channelFilter: row.channel_filter,
      selector: row.selector,
      json: row.json,
    });
  },
};
