import type pg from "pg";
import {
  isAddressedTo,
  type PublishedMessage,
  type PublishRequest,
  type ReplayResult,
  type SubscriptionInfo,
} from "@/lib/server-events";
import type { ClusterBus, ControlMessage } from "./cluster";
import { ALL_INSTANCES } from "./cluster";
import { decodeNotification, encodeControl, encodeInlineBody } from "./notification";
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

const CATCH_UP_BATCH = 500;

/**
 * The Postgres message transport. The table is the truth and NOTIFY the wake-up: every message is
 * a row whose id is taken under a transaction-scoped advisory lock, so ids commit in id order and
 * an instance that has delivered id N has seen everything below it. Delivery here is strictly in
 * id order; a gap (N+2 notified after N) is filled from the table first.
 */
export class PostgresBus implements ClusterBus {
  readonly counters = { messagesPublished: 0, spilledPayloads: 0, listenerReconnects: 0 };
  readonly listener: PostgresListener;
  private readonly channel: string;
  /** Highest id delivered locally: `head()`. */
  private last = 1;
  private queue: Promise<void> = Promise.resolve();
  private deliver: (message: PublishedMessage) => void = () => undefined;
  private control: (message: ControlMessage) => void = () => undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly options: PostgresBusOptions) {
    this.channel = options.channel ?? "server_events";
    this.listener = new PostgresListener({
      ...options.listener,
      client: options.listenerClient,
      channel: this.channel,
      onError: (error) => options.onError(error),
      onNotification: (payload) => this.onNotification(payload),
      onListening: (reconnected) => {
        if (!reconnected) return void (this.ready = this.enqueue(() => this.initHead()));
        this.counters.listenerReconnects++;
        void this.enqueue(() => this.catchUpNow());
      },
    });
  }

  async connect(deliver: (message: PublishedMessage) => void): Promise<void> {
    this.deliver = deliver;
    await this.listener.start();
    await this.ready;
    this.pollTimer = setInterval(() => void this.catchUp(), this.options.pollIntervalMs ?? 5_000);
    this.pollTimer.unref?.();
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.control = handler;
  }

  head(): number {
    return this.last;
  }

  /** One statement, so one short transaction: lock → id → row → NOTIFY → commit. */
  async publish(request: PublishRequest): Promise<void> {
    const body = encodeInlineBody(request);
    if (body === null) this.counters.spilledPayloads++;
    const suffix = body === null ? "" : ` ${body}`;
    const target = request.target;
    const value = target.kind === "all" ? null : target.value;
    if (request.ephemeral && body !== null)
      await this.options.pool.query(q.notifyOnly, [PUBLISH_LOCK_KEY, this.channel, suffix]);
    else
      await this.options.pool.query(q.publish, [
        PUBLISH_LOCK_KEY,
        target.kind,
        value,
        request.channelFilter ?? null,
        request.selector,
        request.json,
        request.ephemeral === true,
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
        this.last,
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
    return this.enqueue(() => this.catchUpNow()).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    await this.listener.close();
    await this.queue;
  }

  private onNotification(payload: string): void {
    try {
      const notification = decodeNotification(payload);
      if (notification.kind === "message") {
        const { id, message } = notification;
        void this.enqueue(() => this.receive(id, message));
        return;
      }
      const { to, from, message } = notification;
      const forMe =
        to === this.options.instanceId ||
        (to === ALL_INSTANCES && from !== this.options.instanceId);
      if (forMe) void this.enqueue(() => Promise.resolve(this.control(message)));
    } catch (error) {
      this.options.onError(error);
    }
  }

  /** Serializes delivery; a failed step is reported and retried from the log shortly after. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch((error: unknown) => {
      this.options.onError(error);
      this.scheduleRetry();
    });
    return run;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.catchUp();
    }, 1_000);
    this.retryTimer.unref?.();
  }

  private async receive(id: number, inline: PublishedMessage | null): Promise<void> {
    if (id <= this.last) return;
    if (inline && id === this.last + 1) return this.emit(inline);
    // Ids commit in order, so every id below this one is decided: read what we missed (or the
    // spilled row itself), then this one.
    const { rows } = await this.options.pool.query<MessageRow>(q.range, [this.last, id]);
    for (const row of rows) this.emit(q.toMessage(row));
    if (inline) this.emit(inline);
    this.last = Math.max(this.last, id);
  }

  private async catchUpNow(): Promise<void> {
    for (;;) {
      const { rows } = await this.options.pool.query<MessageRow>(q.after, [
        this.last,
        CATCH_UP_BATCH,
      ]);
      for (const row of rows) this.emit(q.toMessage(row));
      if (rows.length < CATCH_UP_BATCH) return;
    }
  }

  /** Starts after everything already committed: a new instance has nothing to replay live. */
  private async initHead(): Promise<void> {
    const { rows } = await this.options.pool.query<{ head: string }>(q.head, [q.prunedThroughKey]);
    this.last = Math.max(this.last, Number(rows[0]!.head));
  }

  private async prunedThrough(): Promise<number> {
    const { rows } = await this.options.pool.query<{ value: string }>(q.prunedThrough, [
      q.prunedThroughKey,
    ]);
    return Number(rows[0]?.value ?? 0);
  }

  private emit(message: PublishedMessage): void {
    if (message.id <= this.last) return;
    this.last = message.id;
    try {
      this.deliver(message);
    } catch (error) {
      this.options.onError(error);
    }
  }
}
