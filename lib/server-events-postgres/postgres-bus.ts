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
  type ClusterBus,
  type ControlMessage,
} from "@/lib/server-events-cluster";
import { encodeControl, encodeInlineBody } from "./notification";
import { PostgresListener, type PostgresListenerOptions } from "./postgres-listener";
import { messageQueries as q, PUBLISH_LOCK_KEY, type MessageRow } from "./message-queries";

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
  listener?: Partial<
    Pick<
      PostgresListenerOptions,
      "probeIntervalMs" | "probeTimeoutMs" | "reconnectBaseMs" | "reconnectMaxMs"
    >
  >;
}

/**
 * The Postgres message transport. The table is the truth and NOTIFY the wake-up: every message is
 * a row whose id is taken under a transaction-scoped advisory lock, so ids commit in id order and
 * an instance that has delivered id N has seen everything below it. Delivery (`BusInbox`) is
 * strictly in id order; a gap (N+2 notified after N) is filled from the table first.
 */
export class PostgresBus implements ClusterBus {
  readonly counters = { messagesPublished: 0, spilledPayloads: 0, listenerReconnects: 0 };
  readonly listener: PostgresListener;
  private readonly channel: string;
  private readonly inbox: BusInbox;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: PostgresBusOptions) {
    this.channel = options.channel ?? "server_events";
    this.inbox = new BusInbox({
      instanceId: options.instanceId,
      onError: (error) => options.onError(error),
      read: (after, through) => this.read(after, through),
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

  /** One statement, so one short transaction: lock → id → row → NOTIFY → commit. */
  async publish(request: PublishRequest): Promise<void> {
    const body = encodeInlineBody(request);
    if (body === null) this.counters.spilledPayloads++;
    const suffix = body === null ? "" : ` ${body}`;
    const target = request.target;
    const value = target.kind === "all" ? null : target.value;
    await this.options.pool.query(q.publish, [
      PUBLISH_LOCK_KEY,
      target.kind,
      value,
      request.channelFilter ?? null,
      request.selector,
      request.json,
      this.channel,
      suffix,
    ]);
    this.counters.messagesPublished++;
  }

  async sendControl(instanceId: string, message: ControlMessage): Promise<void> {
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
        .map((row) => q.toMessage(row))
        .filter((message) => isAddressedTo(message, sub)),
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
    await this.listener.close();
    await this.inbox.close();
  }

  /** Rows with `after < id <= through`; past the head (`through` infinite) in batches. */
  private async read(after: number, through: number): Promise<PublishedMessage[]> {
    const { rows } = Number.isFinite(through)
      ? await this.options.pool.query<MessageRow>(q.range, [after, through])
      : await this.options.pool.query<MessageRow>(q.after, [after, BUS_READ_BATCH]);
    return rows.map((row) => q.toMessage(row));
  }

  /** Starts after everything already committed: a new instance has nothing to replay live. */
  private async initHead(): Promise<void> {
    const { rows } = await this.options.pool.query<{ head: string }>(q.head, [q.prunedThroughKey]);
    this.inbox.last = Math.max(this.inbox.last, Number(rows[0]!.head));
  }

  private async prunedThrough(): Promise<number> {
    const { rows } = await this.options.pool.query<{ value: string }>(q.prunedThrough, [
      q.prunedThroughKey,
    ]);
    return Number(rows[0]?.value ?? 0);
  }
}
