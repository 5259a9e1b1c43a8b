import type { Redis } from "ioredis";
import type { SubscriptionInfo } from "@/lib/server-events";
import type { ClusterStore, StoredSubscription } from "@/lib/server-events-cluster";
import { RedisKeys } from "./redis-keys";
import { storeScripts as s } from "./redis-store-scripts";

/** The parts of a row the index sets are built from; `info` holds the rest. */
type StoredInfo = Omit<
  SubscriptionInfo,
  "id" | "userId" | "userName" | "sessionId" | "channels" | "meta" | "lastPulseAt"
>;

/**
 * Every instance's subscriptions in Redis, laid out as ServiceStack's RedisServerEvents does (a
 * record per subscription, `ids` scored by last pulse, a set per channel, user id, user name and
 * session) plus a set per instance. Writes are Lua scripts, so a removal returns the row to the one
 * caller that won and the index sets never hold an id without its record.
 * @see docs/architecture.md, "Redis"
 */
export class RedisSubscriptionStore implements ClusterStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys | string = new RedisKeys(),
  ) {
    this.keys = typeof keys === "string" ? new RedisKeys(keys) : keys;
  }

  private get prefix(): string {
    return this.keys.prefix;
  }

  async insert(instanceId: string, info: SubscriptionInfo): Promise<void> {
    const { id, userId, userName, sessionId, channels, meta, lastPulseAt: _, ...rest } = info;
    const stored: StoredInfo = rest;
    const fields = [
      ["instance", instanceId],
      ["userId", userId],
      ["userName", userName],
      ["sessionId", sessionId],
      ["channels", JSON.stringify(channels)],
      ["meta", JSON.stringify(meta)],
      ["info", JSON.stringify(stored)],
    ].flatMap(([name, value]) => (value === null ? [] : [name!, value!]));
    await s.insert.run(this.redis, [], [this.prefix, id, ...fields]);
  }

  async remove(id: string): Promise<StoredSubscription | null> {
    const row = (await s.remove.run(this.redis, [], [this.prefix, id])) as string[] | null;
    return row ? fromPairs(row) : null;
  }

  async updateChannels(
    id: string,
    channels: readonly string[],
    meta: Record<string, string>,
  ): Promise<void> {
    const args = [this.prefix, id, JSON.stringify(channels), JSON.stringify(meta)];
    await s.updateChannels.run(this.redis, [], args);
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const [row] = await this.load([id]);
    return row ?? null;
  }

  async byUserId(userId: string): Promise<StoredSubscription[]> {
    return this.load(await this.redis.smembers(`${this.prefix}userid:${userId}`));
  }

  async all(): Promise<StoredSubscription[]> {
    return this.load(await this.redis.zrange(this.keys.ids, "0", "-1"));
  }

  async inAnyChannel(channels: readonly string[]): Promise<StoredSubscription[]> {
    if (channels.length === 0) return [];
    const keys = channels.map((channel) => `${this.prefix}channel:${channel}`);
    return this.load(await this.redis.sunion(...keys));
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await s.touch.run(this.redis, [], [this.prefix, ...ids]);
  }

  async pulse(id: string): Promise<string | null> {
    return (await s.pulse.run(this.redis, [], [this.prefix, id])) as string | null;
  }

  async idsOf(instanceId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(`${this.prefix}instance:${instanceId}`));
  }

  async removeExpired(exceptInstanceId: string, idleMs: number): Promise<StoredSubscription[]> {
    const args = [this.prefix, exceptInstanceId, Math.floor(idleMs)];
    return toRows(await s.removeExpired.run(this.redis, [], args));
  }

  async removeInstance(instanceId: string): Promise<StoredSubscription[]> {
    return toRows(await s.removeInstance.run(this.redis, [], [this.prefix, instanceId]));
  }

  async removeAll(): Promise<void> {
    await s.removeAll.run(this.redis, [], [this.prefix]);
  }

  /** The rows of `ids` that still exist, oldest first, then in registration order. */
  private async load(ids: readonly string[]): Promise<StoredSubscription[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.id(id)).zscore(this.keys.ids, id);
    const replies = (await pipeline.exec()) ?? [];
    const rows: (StoredSubscription & { order: number })[] = [];
    ids.forEach((id, n) => {
      const [hashError, hash] = replies[2 * n] ?? [];
      const [scoreError, score] = replies[2 * n + 1] ?? [];
      const error: unknown = hashError ?? scoreError;
      if (error instanceof Error) throw error;
      const fields = hash as Record<string, string>;
      if (fields.info === undefined) return;
      const row = toStored({ ...fields, id, lastPulseAt: score as string | null });
      rows.push({ ...row, order: Number(fields.n ?? 0) });
    });
    rows.sort((a, b) => a.createdAt - b.createdAt || a.order - b.order);
    return rows.map(({ order: _, ...row }) => row);
  }
}

function toRows(reply: unknown): StoredSubscription[] {
  return (reply as string[][]).map(fromPairs);
}

function fromPairs(pairs: readonly string[]): StoredSubscription {
  const fields: Record<string, string> = {};
  for (let n = 0; n + 1 < pairs.length; n += 2) fields[pairs[n]!] = pairs[n + 1]!;
  return toStored(fields);
}

function toStored(fields: Record<string, string | null | undefined>): StoredSubscription {
  return {
    ...(JSON.parse(fields.info ?? "{}") as StoredInfo),
    id: fields.id ?? "",
    instanceId: fields.instance ?? "",
    userId: fields.userId ?? "",
    userName: fields.userName ?? null,
    sessionId: fields.sessionId ?? null,
    channels: JSON.parse(fields.channels ?? "[]") as string[],
    meta: JSON.parse(fields.meta ?? "{}") as Record<string, string>,
    lastPulseAt: Number(fields.lastPulseAt ?? 0),
  };
}
