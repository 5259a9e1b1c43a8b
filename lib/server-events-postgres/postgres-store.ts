import { and, arrayOverlaps, asc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import type { ServerEventsDatabase } from "./database";
import { subscriptions, type SubscriptionRow } from "./schema";
import type { SubscriptionInfo } from "@/lib/server-events";
import type { ClusterStore, StoredSubscription } from "@/lib/server-events-cluster";

const byAge = [asc(subscriptions.createdAt), asc(subscriptions.id)] as const;

/** `server_events_subscriptions` through drizzle: one row per open subscription in the cluster. */
export class PostgresSubscriptionStore implements ClusterStore {
  constructor(private readonly db: ServerEventsDatabase) {}

  async insert(instanceId: string, info: SubscriptionInfo): Promise<void> {
    const row = {
      instanceId,
      userId: info.userId,
      userName: info.userName,
      sessionId: info.sessionId,
      displayName: info.displayName,
      isAuthenticated: info.isAuthenticated,
      profileUrl: info.profileUrl,
      channels: [...info.channels],
      meta: info.meta,
      connectArgs: info.connectArgs,
      serverArgs: info.serverArgs,
      userAddress: info.userAddress,
      createdAt: new Date(info.createdAt),
      lastPulseAt: sql`now()`,
    };
    await this.db
      .insert(subscriptions)
      .values({ id: info.id, ...row })
      .onConflictDoUpdate({ target: subscriptions.id, set: row });
  }

  async remove(id: string): Promise<StoredSubscription | null> {
    const [row] = await this.db.delete(subscriptions).where(eq(subscriptions.id, id)).returning();
    return row ? toStored(row) : null;
  }

  async updateChannels(
    id: string,
    channels: readonly string[],
    meta: Record<string, string>,
  ): Promise<void> {
    await this.db
      .update(subscriptions)
      .set({ channels: [...channels], meta })
      .where(eq(subscriptions.id, id));
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const [row] = await this.db.select().from(subscriptions).where(eq(subscriptions.id, id));
    return row ? toStored(row) : null;
  }

  async byUserId(userId: string): Promise<StoredSubscription[]> {
    const rows = await this.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.userId, userId))
      .orderBy(...byAge);
    return rows.map(toStored);
  }

  async all(): Promise<StoredSubscription[]> {
    return (
      await this.db
        .select()
        .from(subscriptions)
        .orderBy(...byAge)
    ).map(toStored);
  }

  async inAnyChannel(channels: readonly string[]): Promise<StoredSubscription[]> {
    if (channels.length === 0) return [];
    const rows = await this.db
      .select()
      .from(subscriptions)
      .where(arrayOverlaps(subscriptions.channels, [...channels]))
      .orderBy(...byAge);
    return rows.map(toStored);
  }

  async touch(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .update(subscriptions)
      .set({ lastPulseAt: sql`now()` })
      .where(inArray(subscriptions.id, [...ids]));
  }

  async pulse(id: string): Promise<string | null> {
    const [row] = await this.db
      .update(subscriptions)
      .set({ lastPulseAt: sql`now()` })
      .where(eq(subscriptions.id, id))
      .returning({ instanceId: subscriptions.instanceId });
    return row?.instanceId ?? null;
  }

  async idsOf(instanceId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(eq(subscriptions.instanceId, instanceId));
    return new Set(rows.map((row) => row.id));
  }

  async removeExpired(exceptInstanceId: string, idleMs: number): Promise<StoredSubscription[]> {
    const rows = await this.db
      .delete(subscriptions)
      .where(
        and(
          ne(subscriptions.instanceId, exceptInstanceId),
          lt(subscriptions.lastPulseAt, sql`now() - ${idleMs}::float8 * interval '1 millisecond'`),
        ),
      )
      .returning();
    return rows.map(toStored);
  }

  async removeInstance(instanceId: string): Promise<StoredSubscription[]> {
    const rows = await this.db
      .delete(subscriptions)
      .where(eq(subscriptions.instanceId, instanceId))
      .returning();
    return rows.map(toStored);
  }

  async removeAll(): Promise<void> {
    await this.db.delete(subscriptions);
  }
}

function toStored(row: SubscriptionRow): StoredSubscription {
  return {
    id: row.id,
    instanceId: row.instanceId,
    userId: row.userId,
    userName: row.userName,
    sessionId: row.sessionId,
    displayName: row.displayName,
    isAuthenticated: row.isAuthenticated,
    profileUrl: row.profileUrl,
    channels: row.channels,
    meta: row.meta,
    connectArgs: row.connectArgs,
    serverArgs: row.serverArgs,
    userAddress: row.userAddress,
    createdAt: row.createdAt.getTime(),
    lastPulseAt: row.lastPulseAt.getTime(),
  };
}
