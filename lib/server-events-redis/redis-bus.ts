import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import {
  audienceKeysOf,
  isAddressedTo,
  isPresence,
  MAX_AUDIENCE_MARKS,
  targetKeyOf,
  type PublishedMessage,
  type ReplayResult,
  type SubscriptionInfo,
} from "@/lib/server-events";
import {
  BUS_READ_BATCH,
  countByReference,
  decodeBody,
  encodeBody,
  isControl,
  LogBus,
  planChunks,
  type BusContext,
  type BusEntry,
  type BusRequest,
  type ListenerTimings,
} from "@/lib/server-events-cluster";
import { busScripts } from "./redis-bus-scripts";
import type { RedisKeys } from "./redis-keys";
import { RedisSubscriber } from "./redis-subscriber";

export interface RedisBusOptions extends BusContext {
  /** Commands and publishing; duplicated for the subscriber connection. Not closed by `close()`. */
  redis: Redis;
  keys: RedisKeys;
  /**
   * Bodies one topic message carries at most; a body over this stays in the stream and the topic
   * carries its id. @default 65536
   */
  inlineLimitBytes?: number;
  /** Most entries one script appends. @default 500 */
  maxBatchSize?: number;
  subscriber?: ListenerTimings;
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
export class RedisBus extends LogBus {
  readonly listener: RedisSubscriber;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(options: RedisBusOptions) {
    super({
      ...options,
      inlineLimitBytes: options.inlineLimitBytes ?? 65_536,
      // One connection runs scripts in the order sent, so batches may overlap on the wire.
      maxInFlight: PIPELINED_BATCHES,
    });
    this.redis = options.redis;
    this.keys = options.keys;
    this.listener = new RedisSubscriber({
      ...options.subscriber,
      ...this.listenerEvents(),
      connection: options.redis,
      channel: this.keys.topic,
    });
  }

  /**
   * Reads the stream, then the prune marks of `sub`'s audiences and for everyone: a prune in
   * between can only make it say incomplete.
   * At most `replayMaxBytes` of bodies: past that the replay is cut short and reported incomplete
   * (`recovered: "false"`), as a pruned window is.
   */
  async replay(afterId: number, sub: SubscriptionInfo): Promise<ReplayResult> {
    const messages: PublishedMessage[] = [];
    let bytes = 0;
    for (let from = afterId; ;) {
      const entries = await this.read(from, this.inbox.last);
      for (const entry of entries) {
        if (isControl(entry) || !isAddressedTo(entry, sub)) continue;
        bytes += Buffer.byteLength(entry.json);
        if (bytes > this.options.replayMaxBytes) return { messages, complete: false };
        messages.push(entry);
      }
      if (entries.length < BUS_READ_BATCH) break;
      from = entries.at(-1)!.id;
    }
    // The audiences' marks before the mark for everyone: a fold moves marks from the first to the
    // second, so in this order one in between is still seen.
    const own = await this.redis.hmget(this.keys.prunedFor, ...audienceKeysOf(sub));
    const everyone = await this.redis.get(this.keys.prunedThrough);
    const prunedThrough = Math.max(...[everyone, ...own].map((mark) => Number(mark ?? 0)));
    return { messages, complete: afterId >= prunedThrough };
  }

  async nextSequence(name: string): Promise<number> {
    return this.redis.incr(this.keys.sequence(name));
  }

  async pruneMessages(): Promise<void> {
    const keys = [
      this.keys.messages,
      this.keys.prunedThrough,
      this.keys.realMessageCount,
      this.keys.messageIndex,
      this.keys.messageBytes,
      this.keys.prunedFor,
    ];
    const args = [
      this.options.replayRetentionMs,
      this.options.replayMaxMessages,
      BUS_READ_BATCH,
      this.options.replayMaxBytes,
      MAX_AUDIENCE_MARKS,
    ];
    while ((await busScripts.prune.run(this.redis, keys, args)) === 1 && !this.closed);
  }

  async reset(): Promise<void> {
    const { messages, prunedThrough, messageIndex, prunedFor } = this.keys;
    await busScripts.pruneAll.run(
      this.redis,
      [messages, prunedThrough, messageIndex, prunedFor],
      [],
    );
  }

  /** One script for the whole batch: n ids, n stream entries, a few PUBLISHes (`planChunks`). */
  protected async commitBatch(batch: readonly BusRequest[]): Promise<number> {
    const bodies = batch.map(encodeBody);
    const chunks = planChunks(bodies, this.options.inlineLimitBytes);
    // The audience of each real message, for the prune marks; "" for the others.
    const audiences = batch.map((entry) =>
      isControl(entry) || isPresence(entry) ? "" : targetKeyOf(entry.target),
    );
    await busScripts.publishBatch.run(
      this.redis,
      [
        this.keys.messageId,
        this.keys.messages,
        this.keys.realMessageCount,
        this.keys.messageIndex,
        this.keys.messageBytes,
        this.keys.publishedBatch(randomUUID()),
      ],
      [
        this.keys.topic,
        firstId(),
        batch.length,
        chunks.length,
        ...bodies,
        ...audiences,
        ...chunks.flatMap((chunk) => [chunk.offset, chunk.count, chunk.bodies]),
      ],
    );
    return countByReference(chunks);
  }

  /** Stream entries with `after < id <= through`, at most BUS_READ_BATCH. */
  protected async read(after: number, through: number): Promise<BusEntry[]> {
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

  /** Everything already published (or pruned): a new instance has nothing to replay live. */
  protected async readHead(): Promise<number> {
    const [head, pruned] = await Promise.all([
      busScripts.head.run(this.redis, [this.keys.messageId], [firstId()]),
      this.redis.get(this.keys.prunedThrough),
    ]);
    return Math.max(Number(head), Number(pruned ?? 0));
  }

  protected async sendUnlogged(payload: string): Promise<void> {
    await this.redis.publish(this.keys.topic, payload);
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
