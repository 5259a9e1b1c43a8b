import type pg from "pg";
import {
  audienceKeysOf,
  isAddressedTo,
  MAX_AUDIENCE_MARKS,
  type PublishedMessage,
  type ReplayResult,
  type SubscriptionInfo,
} from "@/lib/server-events";
import {
  BUS_READ_BATCH,
  isControl,
  LogBus,
  type BusContext,
  type BusEntry,
  type BusRequest,
  type ListenerTimings,
} from "@/lib/server-events-cluster";
import { INLINE_LIMIT_BYTES } from "./notification";
import { PostgresListener } from "./postgres-listener";
import {
  LAST_ID_KEY,
  messageQueries as q,
  publishBatchParams,
  type MessageRow,
  type ReplayRow,
} from "./message-queries";

export interface PostgresBusOptions extends BusContext {
  pool: pg.Pool;
  /** For the LISTEN connection (the pool is never used for it). */
  listenerClient: pg.ClientConfig;
  /** @default "server_events" */
  channel?: string | undefined;
  /** Reads the log for anything a lost notification hid. @default 5000 */
  pollIntervalMs?: number;
  /** Most entries one transaction commits. @default 500 */
  maxBatchSize?: number;
  listener?: ListenerTimings;
}

/**
 * The Postgres message transport. The table is the truth and NOTIFY the wake-up: every message is
 * a row. Publishes made while a batch commits wait and go together in the next one (group
 * commit): one statement takes n ids from the last-id row, which stays locked until commit, so ids
 * commit in id order, gap-free, and an instance that has delivered id N has seen everything below
 * it. Delivery (`BusInbox`) is strictly in id order; a gap is filled from the table first.
 */
export class PostgresBus extends LogBus {
  readonly listener: PostgresListener;
  private readonly pool: pg.Pool;
  private readonly channel: string;

  constructor(options: PostgresBusOptions) {
    super({
      ...options,
      inlineLimitBytes: INLINE_LIMIT_BYTES,
      pollIntervalMs: options.pollIntervalMs ?? 5_000,
      // One batch at a time: two on separate connections could commit out of submission order.
      maxInFlight: 1,
    });
    this.pool = options.pool;
    this.channel = options.channel ?? "server_events";
    this.listener = new PostgresListener({
      ...options.listener,
      ...this.listenerEvents(),
      client: options.listenerClient,
      channel: this.channel,
    });
  }

  /**
   * What `sub` missed after `afterId`, at most `replayMaxBytes` of bodies: past that the replay is
   * cut short and reported incomplete (`recovered: "false"`), as a pruned window is.
   */
  async replay(afterId: number, sub: SubscriptionInfo): Promise<ReplayResult> {
    const maxBytes = this.options.replayMaxBytes;
    const { rows } = await this.pool.query<ReplayRow>(q.replay, [
      afterId,
      this.inbox.last,
      sub.channels,
      sub.id,
      sub.userId,
      sub.userName,
      sub.sessionId,
      q.prunedThroughKey,
      maxBytes,
      audienceKeysOf(sub),
    ]);
    const prunedThrough = Number(rows[0]?.pruned_through ?? 0);
    const matched = rows.filter(
      (row): row is ReplayRow & MessageRow & { bytes_before: string } => row.id !== null,
    );
    const last = matched.at(-1);
    const isCut =
      last !== undefined && Number(last.bytes_before) + Buffer.byteLength(last.json) > maxBytes;
    if (isCut) matched.pop();
    return {
      messages: matched
        .map((row) => q.toEntry(row))
        .filter(
          (entry): entry is PublishedMessage => !isControl(entry) && isAddressedTo(entry, sub),
        ),
      complete: !isCut && afterId >= prunedThrough,
    };
  }

  async nextSequence(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ value: string }>(q.nextSequence, [name]);
    return Number(rows[0]!.value);
  }

  async pruneMessages(): Promise<void> {
    await this.pool.query(q.prune, [
      this.options.replayRetentionMs,
      this.options.replayMaxMessages,
    ]);
    await this.pool.query(q.foldMarks, [MAX_AUDIENCE_MARKS, q.prunedThroughKey]);
  }

  async reset(): Promise<void> {
    await this.pool.query(q.pruneAll, [q.prunedThroughKey]);
  }

  /** One transaction for the whole batch: n ids, n rows, a few NOTIFYs (`planChunks`). */
  protected async commitBatch(batch: readonly BusRequest[]): Promise<number> {
    const { params, byReference } = publishBatchParams(batch, this.channel);
    await this.pool.query(q.publishBatch, params);
    return byReference;
  }

  /** Rows with `after < id <= through`; past the head (`through` infinite) in batches. */
  protected async read(after: number, through: number): Promise<BusEntry[]> {
    const { rows } = Number.isFinite(through)
      ? await this.pool.query<MessageRow>(q.range, [after, through, BUS_READ_BATCH])
      : await this.pool.query<MessageRow>(q.after, [after, BUS_READ_BATCH]);
    return rows.map((row) => q.toEntry(row));
  }

  /** Everything already committed: a new instance has nothing to replay live. */
  protected async readHead(): Promise<number> {
    const { rows } = await this.pool.query<{ head: string }>(q.head, [LAST_ID_KEY]);
    return Number(rows[0]!.head);
  }

  protected async sendUnlogged(payload: string): Promise<void> {
    await this.pool.query("SELECT pg_notify($1, $2)", [this.channel, payload]);
  }
}
