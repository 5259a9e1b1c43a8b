import type pg from "pg";
import {
  isAddressedTo,
  type PublishedMessage,
  type PublishRequest,
  type ReplayResult,
  type SubscriptionInfo,
} from "@/lib/server-events";
import {
  BUS_READ_BATCH,
  BusInbox,
  GroupCommit,
  isControl,
  type BusEntry,
  type BusObserver,
  type BusRequest,
  type ClusterBus,
  type ControlMessage,
} from "@/lib/server-events-cluster";
import { encodeControl } from "./notification";
import { PostgresListener, type PostgresListenerOptions } from "./postgres-listener";
import {
  LAST_ID_KEY,
  messageQueries as q,
  publishBatchParams,
  type MessageRow,
} from "./message-queries";

export interface PostgresBusOptions {
  pool: pg.Pool;
  /** For the LISTEN connection (the pool is never used for it). */
  listenerClient: pg.ClientConfig;
  instanceId: string;
  replayRetentionMs: number;
  replayMaxMessages: number;
  onError(error: unknown): void;
  /** @default "server_events" */
  channel?: string;
  /** Reads the log for anything a lost notification hid. @default 5000 */
  pollIntervalMs?: number;
  /** Most entries one transaction commits. @default 500 */
  maxBatchSize?: number;
  /** Batch sizes and commit times, for metrics. */
  observer?: BusObserver | undefined;
  listener?: Partial<
    Pick<
      PostgresListenerOptions,
      "probeIntervalMs" | "probeTimeoutMs" | "reconnectBaseMs" | "reconnectMaxMs"
    >
  >;
}

/**
 * The Postgres message transport. The table is the truth and NOTIFY the wake-up: every message is
 * a row. Publishes made while a batch commits wait and go together in the next one (group
 * commit): one statement takes n ids from the last-id row, which stays locked until commit, so ids
 * commit in id order, gap-free, and an instance that has delivered id N has seen everything below
 * it. Delivery (`BusInbox`) is strictly in id order; a gap is filled from the table first.
 */
export class PostgresBus implements ClusterBus {
  readonly counters = { messagesPublished: 0, spilledPayloads: 0, listenerReconnects: 0 };
  readonly listener: PostgresListener;
  private readonly channel: string;
  private readonly inbox: BusInbox;
  private readonly commits: GroupCommit<BusRequest>;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: PostgresBusOptions) {
    this.channel = options.channel ?? "server_events";
    this.inbox = new BusInbox({
      instanceId: options.instanceId,
      onError: (error) => options.onError(error),
      read: (after, through) => this.read(after, through),
    });
    this.commits = new GroupCommit({
      commit: (batch) => this.commitBatch(batch),
      maxItems: options.maxBatchSize ?? 500,
      sizeOf: (entry) => (isControl(entry) ? 256 : entry.json.length + entry.selector.length),
      observer: options.observer,
    });
    this.listener = new PostgresListener({
      ...options.listener,
      client: options.listenerClient,
      channel: this.channel,
      onError: (error) => options.onError(error),
      onNotification: (payload) => this.inbox.receive(payload),
      onListening: (reconnected) => {
        if (!reconnected) return void (this.ready = this.inbox.enqueue(() => this.initHead()));
        this.counters.listenerReconnects++;
        void this.inbox.catchUp();
      },
    });
  }

  async connect(deliver: (message: PublishedMessage) => void): Promise<void> {
    this.inbox.deliver = deliver;
    await this.listener.start();
    await this.ready;
    this.pollTimer = setInterval(() => void this.catchUp(), this.options.pollIntervalMs ?? 5_000);
    this.pollTimer.unref?.();
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.inbox.control = handler;
  }

  head(): number {
    return this.inbox.last;
  }

  /** Resolves once the message is committed (with whatever was published alongside). */
  async publish(request: PublishRequest): Promise<void> {
    await this.commits.submit(request);
  }

  /** Logged in the same batches as messages, except pulses (see ClusterBus.sendControl). */
  async sendControl(instanceId: string, message: ControlMessage): Promise<void> {
    if (message.type !== "pulse")
      return this.commits.submit({
        to: instanceId,
        from: this.options.instanceId,
        control: message,
      });
    const payload = encodeControl(instanceId, this.options.instanceId, message);
    await this.options.pool.query("SELECT pg_notify($1, $2)", [this.channel, payload]);
  }

  async replay(afterId: number, sub: SubscriptionInfo): Promise<ReplayResult> {
    const [{ rows }, prunedThrough] = await Promise.all([
      this.options.pool.query<MessageRow>(q.replay, [
        afterId,
        this.inbox.last,
        sub.channels,
        sub.id,
        sub.userId,
        sub.userName,
        sub.sessionId,
      ]),
      this.prunedThrough(),
    ]);
    return {
      messages: rows
        .map((row) => q.toEntry(row))
        .filter(
          (entry): entry is PublishedMessage => !isControl(entry) && isAddressedTo(entry, sub),
        ),
      complete: afterId >= prunedThrough,
    };
  }

  async nextSequence(name: string): Promise<number> {
    const { rows } = await this.options.pool.query<{ value: string }>(q.nextSequence, [name]);
    return Number(rows[0]!.value);
  }

  async pruneMessages(): Promise<void> {
    await this.options.pool.query(q.prune, [
      this.options.replayRetentionMs,
      this.options.replayMaxMessages,
      q.prunedThroughKey,
    ]);
  }

  async reset(): Promise<void> {
    await this.options.pool.query(q.pruneAll, [q.prunedThroughKey]);
  }

  catchUp(): Promise<void> {
    return this.inbox.catchUp();
  }

  get isListening(): boolean {
    return this.listener.isListening;
  }

  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    await this.commits.idle();
    await this.listener.close();
    await this.inbox.close();
  }

  /** One transaction for the whole batch: n ids, n rows, a few NOTIFYs (`planChunks`). */
  private async commitBatch(batch: readonly BusRequest[]): Promise<void> {
    const { params, byReference } = publishBatchParams(batch, this.channel);
    await this.options.pool.query(q.publishBatch, params);
    this.counters.spilledPayloads += byReference;
    this.counters.messagesPublished += batch.filter((entry) => !isControl(entry)).length;
  }

  /** Rows with `after < id <= through`; past the head (`through` infinite) in batches. */
  private async read(after: number, through: number): Promise<BusEntry[]> {
    const { rows } = Number.isFinite(through)
      ? await this.options.pool.query<MessageRow>(q.range, [after, through])
      : await this.options.pool.query<MessageRow>(q.after, [after, BUS_READ_BATCH]);
    return rows.map((row) => q.toEntry(row));
  }

  /** Starts after everything already committed: a new instance has nothing to replay live. */
  private async initHead(): Promise<void> {
    const { rows } = await this.options.pool.query<{ head: string }>(q.head, [LAST_ID_KEY]);
    this.inbox.last = Math.max(this.inbox.last, Number(rows[0]!.head));
  }

  private async prunedThrough(): Promise<number> {
    const { rows } = await this.options.pool.query<{ value: string }>(q.prunedThrough, [
      q.prunedThroughKey,
    ]);
    return Number(rows[0]?.value ?? 0);
  }
}
