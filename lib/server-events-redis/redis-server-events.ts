import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { resolveOptions, type ServerEventsOptions } from "@/lib/server-events";
import { ClusterServerEvents, type BusObserver } from "@/lib/server-events-cluster";
import { RedisBus, type RedisBusOptions } from "./redis-bus";
import { RedisKeys } from "./redis-keys";
import { RedisSubscriptionStore } from "./redis-store";

export interface RedisServerEventsInit {
  /** Commands and publishing; duplicated for the subscriber. Not closed by `stop()`. */
  redis: Redis;
  /** Instances sharing a prefix (and a server) form one cluster. @default "sse:" */
  keyPrefix?: string;
  /** @default a random UUID: each process is its own instance */
  instanceId?: string;
  /** Inline limit and subscriber timings (tests shorten them), batch size. */
  bus?: Pick<RedisBusOptions, "inlineLimitBytes" | "subscriber" | "maxBatchSize">;
  /** Told about every committed batch (size, wait, commit time), e.g. for histograms. */
  observer?: BusObserver;
}

/**
 * Server Events across several instances on one Redis, the scale-out ServiceStack itself ships:
 * the memory provider delivers locally, a stream + pub/sub topic carry messages between instances,
 * and ServiceStack's key layout makes presence and listings cluster-wide.
 * @see docs/architecture.md, "Redis"
 */
export class RedisServerEvents extends ClusterServerEvents {
  /** The transport, exposed for stats and for tests that cut its subscriber connection. */
  readonly redisBus: RedisBus;

  constructor(options: ServerEventsOptions, init: RedisServerEventsInit) {
    const resolved = resolveOptions(options);
    const instanceId = init.instanceId ?? randomUUID();
    const keys = new RedisKeys(init.keyPrefix);
    const bus = new RedisBus({
      ...init.bus,
      redis: init.redis,
      keys,
      instanceId,
      observer: init.observer,
      replayRetentionMs: resolved.replayRetentionMs,
      replayMaxMessages: resolved.replayMaxMessages,
      onError: (error) => resolved.onError(error),
    });
    super(options, {
      bus,
      store: new RedisSubscriptionStore(init.redis, keys),
      instanceId,
      busCounters: () => ({ ...bus.counters }),
    });
    this.redisBus = bus;
  }
}
