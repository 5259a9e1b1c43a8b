/**
 * One provider instance for the provider-level bench (bench/scenarios/provider.mjs), bundled by
 * esbuild so that a plain Node worker can run it: the Postgres or Redis provider as the app would
 * create it, one local subscriber on the bench channel whose stream is drained, and the ids that
 * subscriber was sent, in order.
 */
import { Redis } from "ioredis";
import pg from "pg";
import type { ServerEventsOptions } from "@/lib/server-events";
import type { ClusterServerEvents, CommittedBatch } from "@/lib/server-events-cluster";
import { createEventStream } from "@/lib/server-events/event-stream-sink";
import { Subscription } from "@/lib/server-events/subscription";
import { createSubscriptionId } from "@/lib/server-events/subscription-id";
import { PostgresServerEvents } from "@/lib/server-events-postgres";
import { RedisServerEvents } from "@/lib/server-events-redis";

export interface BenchInstanceInit {
  provider: "postgres" | "redis";
  databaseUrl?: string;
  redisUrl?: string;
  keyPrefix?: string;
  instanceId: string;
  channel: string;
}

export interface BenchInstance {
  events: ClusterServerEvents;
  /** Ids of the frames written to the local subscriber, in the order they were written. */
  received: number[];
  batches: CommittedBatch[];
  errors: string[];
  close(): Promise<void>;
}

export async function createBenchInstance(init: BenchInstanceInit): Promise<BenchInstance> {
  const received: number[] = [];
  const batches: CommittedBatch[] = [];
  const errors: string[] = [];
  const options: ServerEventsOptions = {
    notifyChannelOfSubscriptions: false,
    onPublish: (_sub, frame) => received.push(Number(/^id: (\d+)/u.exec(frame)?.[1])),
    onError: (error) => void errors.push(String(error)),
  };
  const observer = { batchCommitted: (batch: CommittedBatch) => void batches.push(batch) };
  let events: ClusterServerEvents;
  let release: () => Promise<void>;
  if (init.provider === "postgres") {
    const pool = new pg.Pool({ connectionString: init.databaseUrl, max: 4 });
    events = new PostgresServerEvents(options, { pool, instanceId: init.instanceId, observer });
    release = () => pool.end();
  } else {
    const redis = new Redis(init.redisUrl ?? "redis://127.0.0.1:6379");
    const keyPrefix = init.keyPrefix;
    events = new RedisServerEvents(options, {
      redis,
      keyPrefix,
      instanceId: init.instanceId,
      observer,
    });
    release = async () => void (await redis.quit());
  }
  await events.start();
  const drain = await subscribe(events, init.channel);
  return {
    events,
    received,
    batches,
    errors,
    async close() {
      await drain.cancel();
      await events.stop();
      await release();
    },
  };
}

/** A subscription registered as the stream handler would, its stream read and thrown away. */
async function subscribe(events: ClusterServerEvents, channel: string) {
  const id = createSubscriptionId();
  const { stream, sink } = createEventStream(events.options.maxBufferedBytes, () => undefined);
  const sub = new Subscription(
    {
      id,
      userId: "-1",
      userName: null,
      displayName: "bench",
      sessionId: null,
      isAuthenticated: false,
      profileUrl: "",
      createdAt: Date.now(),
      userAddress: null,
      connectArgs: {},
      serverArgs: {},
      channels: [channel],
    },
    sink,
  );
  const reader = stream.getReader();
  void (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
  })();
  await events.register(sub, { id });
  return reader;
}
