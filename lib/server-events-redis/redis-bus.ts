import type { Redis } from "ioredis";
import {
  isAddressedTo,
  isPresence,
  type PublishedMessage,
  type PublishRequest,
  type ReplayResult,
  type SubscriptionInfo,
} from "@/lib/server-events";
import {
  BUS_READ_BATCH,
  BusInbox,
  countByReference,
  decodeBody,
  encodeBody,
  encodeControl,
  GroupCommit,
  isControl,
  planChunks,
  type BusEntry,
  type BusObserver,
  type BusRequest,
  type ClusterBus,
  type ControlMessage,
} from "@/lib/server-events-cluster";
import { busScripts } from "./redis-bus-scripts";
import type { RedisKeys } from "./redis-keys";
import { RedisSubscriber, type RedisSubscriberOptions } from "./redis-subscriber";

export interface RedisBusOptions {
  /** Commands and publishing; duplicated for the subscriber connection. Not closed by `close()`. */
  redis: Redis;
  keys: RedisKeys;
  instanceId: string;
  replayRetentionMs: number;
  replayMaxMessages: number;
  onError(error: unknown): void;
  /**
   * Bodies one topic message carries at most; a body over this stays in the stream and the topic
   * carries its id. @default 65536
   */
  inlineLimitBytes?: number;
  /** Most entries one script appends. @default 500 */
  maxBatchSize?: number;
  /** Batch sizes and commit times, for metrics. */
  observer?: BusObserver | undefined;
  subscriber?: Partial<
    Pick<
      RedisSubscriberOptions,
      "probeIntervalMs" | "probeTimeoutMs" | "reconnectBaseMs" | "reconnectMaxMs"
    >
  >;
}

type StreamEntry = [id: string, fields: string[]];

/** Batches on the wire at once: enough to keep Redis busy while replies travel back. */
const PIPELINED_BATCHES = 4;

/**
 * The Redis message transport: a Lua script gives a batch of messages the next integer ids, appends
 * them to the stream `messages` (entry id `<id>-0`) and PUBLISHes them on `topic` in one atomic
 * step. Publishes made while batches are on the wire go together in the next one (group commit);
 * a few batches are pipelined on the one connection, which Redis runs in order. Pub/sub is the
 * fast path; the stream is the truth, read when a gap shows (a reconnect, a big message sent by
 * reference) and for Last-Event-ID replay. Delivery (`BusInbox`) is strictly in id order.
 */
export class RedisBus implements ClusterBus {
  readonly counters = { messagesPublished: 0, spilledPayloads: 0, listenerReconnects: 0 };
  readonly subscriber: RedisSubscriber;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly inbox: BusInbox;
  private readonly commits: GroupCommit<BusRequest>;
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.inbox = new BusInbox({
      instanceId: options.instanceId,
      onError: (error) => options.onError(error),
      read: (after, through) => this.range(after, through),
    });
    this.commits = new GroupCommit({
      commit: (batch) => this.commitBatch(batch),
      maxItems: options.maxBatchSize ?? 500,
      sizeOf: (entry) => (isControl(entry) ? 256 : entry.json.length + entry.selector.length),
      // One connection runs scripts in the order sent, so batches may overlap on the wire.
      maxInFlight: PIPELINED_BATCHES,
      observer: options.observer,
    });
    this.subscriber = new RedisSubscriber({
      ...options.subscriber,
      connection: options.redis,
      channel: this.keys.topic,
      onError: (error) => options.onError(error),
      onMessage: (payload) => this.inbox.receive(payload),
      onSubscribed: (resubscribed) => {
        if (!resubscribed) return void this.inbox.enqueue(() => this.initHead());
        this.counters.listenerReconnects++;
        void this.inbox.catchUp();
      },
    });
  }

  async connect(deliver: (message: PublishedMessage) => void): Promise<void> {
    this.inbox.deliver = deliver;
    await this.subscriber.start();
    // Queued behind initHead by the first SUBSCRIBE.
    await this.inbox.drain();
  }

  onControl(handler: (message: ControlMessage) => void): void {
    this.inbox.control = handler;
  }

  head(): number {
    return this.inbox.last;
  }

  /** Resolves once the message is in the stream (with whatever was published alongside). */
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
    await this.redis.publish(this.keys.topic, payload);
  }

  /** Reads the stream, then the pruned mark: a prune in between can only make it say incomplete. */
  async replay(afterId: number, sub: SubscriptionInfo): Promise<ReplayResult> {
    const messages: PublishedMessage[] = [];
    for (let from = afterId; ;) {
      const entries = await this.range(from, this.inbox.last);
      for (const entry of entries)
        if (!isControl(entry) && isAddressedTo(entry, sub)) messages.push(entry);
      if (entries.length < BUS_READ_BATCH) break;
      from = entries.at(-1)!.id;
    }
    const prunedThrough = Number((await this.redis.get(this.keys.prunedThrough)) ?? 0);
    return { messages, complete: afterId >= prunedThrough };
  }

  async nextSequence(name: string): Promise<number> {
    return this.redis.incr(this.keys.sequence(name));
  }

  async pruneMessages(): Promise<void> {
    const keys = [this.keys.messages, this.keys.prunedThrough, this.keys.realMessageCount];
    const args = [this.options.replayRetentionMs, this.options.replayMaxMessages, BUS_READ_BATCH];
    while ((await busScripts.prune.run(this.redis, keys, args)) === 1 && !this.closed);
  }

  async reset(): Promise<void> {
    await busScripts.pruneAll.run(this.redis, [this.keys.messages, this.keys.prunedThrough], []);
  }

  catchUp(): Promise<void> {
    return this.inbox.catchUp();
  }

  get isListening(): boolean {
    return this.subscriber.isListening;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.commits.idle();
    await this.subscriber.close();
    await this.inbox.close();
  }

  /** One script for the whole batch: n ids, n stream entries, a few PUBLISHes (`planChunks`). */
  private async commitBatch(batch: readonly BusRequest[]): Promise<void> {
    const bodies = batch.map(encodeBody);
    const chunks = planChunks(bodies, this.options.inlineLimitBytes ?? 65_536);
    const real = batch.map((entry) => (isControl(entry) || isPresence(entry) ? 0 : 1));
    await busScripts.publishBatch.run(
      this.redis,
      [this.keys.messageId, this.keys.messages, this.keys.realMessageCount],
      [
        this.keys.topic,
        firstId(),
        batch.length,
        chunks.length,
        ...bodies,
        ...real,
        ...chunks.flatMap((chunk) => [chunk.offset, chunk.count, chunk.bodies]),
      ],
    );
    this.counters.spilledPayloads += countByReference(chunks);
    this.counters.messagesPublished += batch.filter((entry) => !isControl(entry)).length;
  }

  /** Stream entries with `after < id <= through`, at most BUS_READ_BATCH. */
  private async range(after: number, through: number): Promise<BusEntry[]> {
    const end = Number.isFinite(through) ? `${through}-0` : "+";
    const entries = (await this.redis.xrange(
      this.keys.messages,
      `(${after}-0`,
      end,
      "COUNT",
      BUS_READ_BATCH,
    )) as StreamEntry[];
    return entries.map(toEntry);
  }

  /** Starts after everything already published: a new instance has nothing to replay live. */
  private async initHead(): Promise<void> {
    const [head, pruned] = await Promise.all([
      busScripts.head.run(this.redis, [this.keys.messageId], [firstId()]),
      this.redis.get(this.keys.prunedThrough),
    ]);
    this.inbox.last = Math.max(this.inbox.last, Number(head), Number(pruned ?? 0));
  }
}

/**
 * Where ids start when the counter does not exist: the current time in µs, like the memory
 * provider, so a Redis that lost its data still hands out ids above those clients hold.
 */
function firstId(): string {
  return String(Date.now() * 1000);
}

function toEntry([entryId, fields]: StreamEntry): BusEntry {
  const values: Record<string, string> = {};
  for (let n = 0; n + 1 < fields.length; n += 2) values[fields[n]!] = fields[n + 1]!;
  return decodeBody(Number.parseInt(entryId, 10), Number(values.t), values.b ?? "");
}
