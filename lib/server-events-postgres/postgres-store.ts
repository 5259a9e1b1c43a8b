import type { Pool } from "pg";
import type { SubscriptionInfo } from "@/lib/server-events";
import type { ClusterStore, StoredSubscription } from "@/lib/server-events-cluster";
import { subscriptionQueries as q, toStored, type SubscriptionRow } from "./subscription-queries";

/** `server_events_subscriptions`: one row per open subscription in the cluster, in plain SQL. */
export class PostgresSubscriptionStore implements ClusterStore {
  constructor(private readonly pool: Pool) {}

  async insert(instanceId: string, info: SubscriptionInfo): Promise<void> {
    await this.pool.query(q.upsert, [
      info.id,
      instanceId,
      info.userId,
      info.userName,
      info.sessionId,
      info.displayName,
      info.isAuthenticated,
      info.profileUrl,
      [...info.channels],
      info.meta,
      info.connectArgs,
      info.serverArgs,
      info.userAddress,
      new Date(info.createdAt),
    ]);
  }

  async remove(id: string): Promise<StoredSubscription | null> {
    return this.one(q.remove, [id]);
  }

  async updateChannels(
    id: string,
    channels: readonly string[],
    meta: Record<string, string>,
  ): Promise<void> {
    await this.pool.query(q.updateChannels, [id, [...channels], meta]);
  }

  async get(id: string): Promise<StoredSubscription | null> {
    return this.one(q.get, [id]);
  }

  async byUserId(userId: string): Promise<StoredSubscription[]> {
    return this.many(q.byUserId, [userId]);
  }

  async all(): Promise<StoredSubscription[]> {
    return this.many(q.all, []);
  }

  async inAnyChannel(channels: readonly string[]): Promise<StoredSubscription[]> {
    if (channels.length === 0) return [];
    return this.many(q.inAnyChannel, [[...channels]]);
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(q.touch, [[...ids]]);
  }

  async pulse(id: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ instance_id: string }>(q.pulse, [id]);
    return rows[0]?.instance_id ?? null;
  }

  async idsOf(instanceId: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ id: string }>(q.idsOf, [instanceId]);
    return new Set(rows.map((row) => row.id));
  }

  async removeExpired(exceptInstanceId: string, idleMs: number): Promise<StoredSubscription[]> {
    return this.many(q.removeExpired, [exceptInstanceId, idleMs]);
  }

  async removeInstance(instanceId: string): Promise<StoredSubscription[]> {
    return this.many(q.removeInstance, [instanceId]);
  }

  async removeAll(): Promise<void> {
    await this.pool.query(q.removeAll);
  }

  private async one(sql: string, params: unknown[]): Promise<StoredSubscription | null> {
    const { rows } = await this.pool.query<SubscriptionRow>(sql, params);
    return rows[0] ? toStored(rows[0]) : null;
  }

  private async many(sql: string, params: unknown[]): Promise<StoredSubscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(sql, params);
    return rows.map(toStored);
  }
}
