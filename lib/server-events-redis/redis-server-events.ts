import type { Redis } from "ioredis";
import type { ServerEventsOptions } from "@/lib/server-events";
import { ClusterServerEvents, type ClusterProviderInit } from "@/lib/server-events-cluster";
import { RedisBus, type RedisBusOptions } from "./redis-bus";
import { RedisKeys } from "./redis-keys";
import { RedisSubscriptionStore } from "./redis-store";

export interface RedisServerEventsInit extends ClusterProviderInit {
  /** Commands and publishing; duplicated for the subscriber. Not closed by `stop()`. */
  redis: Redis;
  /** Instances sharing a prefix (and a server) form one cluster. @default "sse:" */
  keyPrefix?: string;
  /** Inline limit and subscriber timings (tests shorten them), batch size. */
  bus?: Pick<RedisBusOptions, "inlineLimitBytes" | "subscriber" | "maxBatchSize">;
}

/**
 * Server Events across several instances on one Redis, the scale-out ServiceStack itself ships:
 * the memory provider delivers locally, a stream + pub/sub topic carry messages between instances,
 * and ServiceStack's key layout makes presence and listings cluster-wide.
 * @see docs/architecture.md, "Redis"
 */
export class RedisServerEvents extends ClusterServerEvents<RedisBus> {
  constructor(options: ServerEventsOptions, init: RedisServerEventsInit) {
    const keys = new RedisKeys(init.keyPrefix);
    super(options, {
      instanceId: init.instanceId,
      observer: init.observer,
      createBus: (context) => new RedisBus({ ...init.bus, ...context, redis: init.redis, keys }),
      store: new RedisSubscriptionStore(init.redis, keys),
    });
  }

  /** The transport, for stats and for tests that cut its subscriber connection. */
  get redisBus(): RedisBus {
    return this.bus;
  }
}
