import {
  countByReference,
  encodeBody,
  planChunks,
  toColumns,
  toEntry,
  type BusEntry,
  type BusRequest,
} from "@/lib/server-events-cluster";
import { INLINE_LIMIT_BYTES } from "./notification";

/**
 * The row of `server_events_sequences` holding the last message id handed out. Taking the next ids
 * updates it, which locks it until commit: that lock is what keeps ids in commit order.
 */
export const LAST_ID_KEY = "server_events.messages.last_id";

export interface MessageRow {
  id: string;
  created_at_ms: string;
  target_kind: string;
  target_value: string | null;
  channel_filter: string | null;
  selector: string;
  json: string;
}

/** A replay row: the prune mark, and a message's columns (all null when none matched). */
export type ReplayRow = { pruned_through: string } & (
  (MessageRow & { bytes_before: string }) | { [K in keyof MessageRow | "bytes_before"]: null }
);

/** Rows that are real messages: neither presence frames nor control messages for instances. */
const REAL_MESSAGE = `selector NOT IN ('cmd.onJoin', 'cmd.onLeave', 'cmd.onUpdate')
  AND target_kind <> 'control'`;

const columns = `id, (extract(epoch FROM created_at) * 1000)::bigint AS created_at_ms,
  target_kind, target_value, channel_filter, selector, json`;

/**
 * The message log's SQL, parameterised. A batch is one statement, so one short transaction: it
 * adds n to the last-id row (locked until commit, so a later batch's ids can never commit before
 * an earlier one's: docs/protocol.md, "Replay"), inserts the n rows, and NOTIFYs the batch in
 * slices that fit (`planChunks`). Rolled back, it leaves no trace: ids stay gap-free.
 */
export const messageQueries = {
  prunedThroughKey: "server_events.messages.pruned_through",

  /**
   * $1 last-id key, $2 n; $3…$7 the entries' columns (kind, value, channel filter, selector, json);
   * $8 NOTIFY channel; $9…$11 the slices (offset, count, and `\n<body>` per entry or "" for a reference).
   */
  publishBatch: `WITH counter AS (
      INSERT INTO server_events_sequences AS s (name, value) VALUES ($1, 1 + $2::bigint)
      ON CONFLICT (name) DO UPDATE SET value = s.value + $2::bigint
      RETURNING value - $2::bigint AS before, (extract(epoch FROM now()) * 1000)::bigint AS ms),
    stored AS (
      INSERT INTO server_events_messages
        (id, target_kind, target_value, channel_filter, selector, json)
      SELECT counter.before + m.n, m.kind, m.value, m.filter, m.selector, m.json
      FROM counter, unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        WITH ORDINALITY AS m(kind, value, filter, selector, json, n))
    SELECT pg_notify($8, 'b ' || (counter.before + c.off + 1) || ' '
        || (counter.before + c.off + c.cnt) || ' ' || counter.ms || c.bodies)
    FROM counter, unnest($9::int[], $10::int[], $11::text[]) WITH ORDINALITY AS c(off, cnt, bodies, k)
    ORDER BY c.k`,

  range: `SELECT ${columns} FROM server_events_messages WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,

  after: `SELECT ${columns} FROM server_events_messages WHERE id > $1 ORDER BY id LIMIT $2`,

  /**
   * The rows a subscriber missed, and the highest id pruned from its audiences ($10, `audienceKeysOf`)
   * or from everyone ($8 that mark's key), read in one statement so in one snapshot: a prune committing between two reads could otherwise delete rows the mark
   * did not yet admit to, and the replay would claim to be complete. Always one row at least: the
   * mark, with null message columns when nothing matched. Rows stop once the bodies before them
   * pass $9 bytes: the first row past it comes too, telling the reader the replay was cut short
   * (without the cut, replays of a few hundred 2 MB messages ran an instance out of memory).
   */
  replay: `SELECT mark.pruned_through, m.*
    FROM (SELECT GREATEST(
            COALESCE((SELECT value FROM server_events_sequences WHERE name = $8), 0),
            COALESCE((SELECT max(pruned_through) FROM server_events_pruned_audiences
                      WHERE audience = ANY($10::text[])), 0)) AS pruned_through) mark
    LEFT JOIN LATERAL (
      SELECT * FROM (
        SELECT ${columns},
          sum(octet_length(json)) OVER (ORDER BY id) - octet_length(json) AS bytes_before
        FROM server_events_messages
        WHERE id > $1 AND id <= $2 AND (
          target_kind = 'all'
          OR (target_kind = 'channel' AND target_value = ANY($3::text[]))
          OR (target_kind = 'subscription' AND target_value = $4)
          OR (target_kind = 'userId' AND target_value = $5)
          OR (target_kind = 'userName' AND target_value = $6)
          OR (target_kind = 'session' AND target_value = $7))
      ) addressed
      WHERE bytes_before <= $9
    ) m ON true
    ORDER BY m.id`,

  /** The last committed id ($1 the last-id key). */
  head: `SELECT GREATEST(1,
    COALESCE((SELECT max(id) FROM server_events_messages), 0),
    COALESCE((SELECT value FROM server_events_sequences WHERE name = $1), 0)) AS head`,

  nextSequence: `INSERT INTO server_events_sequences (name, value) VALUES ($1, 1)
    ON CONFLICT (name) DO UPDATE SET value = server_events_sequences.value + 1
    RETURNING value`,

  /**
   * Deletes what left the replay window and remembers, per audience (`targetKeyOf`: `all`,
   * `channel:home`, …), the highest id of a real message deleted: a resume is incomplete only if
   * one of its own audiences lost a message after its cursor, so a flood in one channel does not
   * cost a quiet channel's members their resume. Presence frames and control messages are
   * dropped without a mark, as in memory.
   */
  prune: `WITH pruned AS (
      DELETE FROM server_events_messages
      WHERE created_at < now() - $1::float8 * interval '1 millisecond'
         -- The count limit counts real messages only: presence frames and control messages
         -- never push one out.
         OR id <= (SELECT id FROM server_events_messages
                   WHERE ${REAL_MESSAGE}
                   ORDER BY id DESC OFFSET $2 LIMIT 1)
      RETURNING id, target_kind, target_value, selector),
    marked AS (
      INSERT INTO server_events_pruned_audiences AS p (audience, pruned_through)
      SELECT CASE WHEN target_kind = 'all' THEN 'all' ELSE target_kind || ':' || target_value END,
        max(id)
      FROM pruned WHERE ${REAL_MESSAGE}
      GROUP BY 1
      ON CONFLICT (audience) DO UPDATE
        SET pruned_through = GREATEST(p.pruned_through, excluded.pruned_through))
    SELECT 1`,

  /**
   * Keeps the marks bounded: past $1 of them, the lower half are folded into the mark for
   * everyone ($2 its key), as the memory log does. That can only make a resume say incomplete,
   * never wrongly complete.
   */
  foldMarks: `WITH marks AS (SELECT count(*) AS n FROM server_events_pruned_audiences),
    excess AS (
      SELECT audience FROM server_events_pruned_audiences
      ORDER BY pruned_through
      LIMIT (SELECT CASE WHEN n > $1::bigint THEN n - $1::bigint / 2 ELSE 0 END FROM marks)),
    folded AS (
      DELETE FROM server_events_pruned_audiences p USING excess
      WHERE p.audience = excess.audience
      RETURNING p.pruned_through)
    INSERT INTO server_events_sequences (name, value)
    SELECT $2::text, max(pruned_through) FROM folded HAVING count(*) > 0
    ON CONFLICT (name) DO UPDATE
      SET value = GREATEST(server_events_sequences.value, excluded.value)`,

  /**
   * Drops the whole log (ServerEvents.reset): the mark for everyone passes every id deleted and
   * every audience's mark, which it replaces (an empty log still had marks to keep).
   */
  pruneAll: `WITH pruned AS (DELETE FROM server_events_messages RETURNING id),
    unmarked AS (DELETE FROM server_events_pruned_audiences RETURNING pruned_through AS id),
    passed AS (SELECT id FROM pruned UNION ALL SELECT id FROM unmarked)
    INSERT INTO server_events_sequences (name, value)
    SELECT $1::text, max(id) FROM passed HAVING count(*) > 0
    ON CONFLICT (name) DO UPDATE
      SET value = GREATEST(server_events_sequences.value, excluded.value)`,

  toEntry(row: MessageRow): BusEntry {
    return toEntry({
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

/** The parameters of `publishBatch`, and how many entries its NOTIFYs carry by reference. */
export function publishBatchParams(
  batch: readonly BusRequest[],
  channel: string,
): { params: unknown[]; byReference: number } {
  const columns = batch.map(toColumns);
  const chunks = planChunks(batch.map(encodeBody), INLINE_LIMIT_BYTES);
  const params = [
    LAST_ID_KEY,
    batch.length,
    columns.map((c) => c.kind),
    columns.map((c) => c.value),
    columns.map((c) => c.channelFilter),
    columns.map((c) => c.selector),
    columns.map((c) => c.json),
    channel,
    chunks.map((chunk) => chunk.offset),
    chunks.map((chunk) => chunk.count),
    chunks.map((chunk) => chunk.bodies),
  ];
  return { params, byReference: countByReference(chunks) };
}
