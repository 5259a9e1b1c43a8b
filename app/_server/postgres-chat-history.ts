import { desc, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { chatMessages, type ChatMessageRow } from "@/db/schema";
import {
  resolveChatHistoryLimits,
  type ChatHistory,
  type ChatHistoryLimits,
  type ChatMessage,
} from "@/app/_server/chat-history";

/**
 * The demo chat's history in `server_events_chat_messages`, shared by every instance: each insert
 * trims its channel to `perChannel` rows (an index range scan on (channel, id)). Only a channel
 * new to this instance can raise the channel count, so then (and every {@link CHANNEL_TRIM_EVERY}
 * inserts, for channels other instances added) the channels beyond `maxChannels` are dropped,
 * least recently written first; for new channels at most once every
 * {@link NEW_CHANNEL_TRIM_INTERVAL_MS}, since the trim aggregates the whole table (190 ms when
 * full) and anyone may post to a new channel.
 */
export class PostgresChatHistory implements ChatHistory {
  private readonly limits: ChatHistoryLimits;
  private appendsSinceChannelTrim = 0;
  private lastChannelTrimAt = Number.NEGATIVE_INFINITY;
  /** Channels this instance wrote to lately, most recent last; bounded like the table. */
  private readonly knownChannels = new Set<string>();

  constructor(
    private readonly db: Database,
    limits: Partial<ChatHistoryLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = resolveChatHistoryLimits(limits);
  }

  async append(message: ChatMessage): Promise<void> {
    await this.db
      .insert(chatMessages)
      .values({
        id: message.id,
        channel: message.channel,
        fromUserId: message.fromUserId,
        fromName: message.fromName,
        displayName: message.displayName,
        message: message.message,
        userAuthId: message.userAuthId,
        isPrivate: message.private,
        selector: message.selector,
        createdAt: new Date(message.createdAt),
      })
      .onConflictDoNothing();
    await this.db.execute(sql`
      DELETE FROM server_events_chat_messages
      WHERE channel = ${message.channel} AND id <= (
        SELECT id FROM server_events_chat_messages WHERE channel = ${message.channel}
        ORDER BY id DESC OFFSET ${this.limits.perChannel} LIMIT 1)`);
    const isNewChannel = this.remember(message.channel);
    const isTrimDue = this.now() - this.lastChannelTrimAt >= NEW_CHANNEL_TRIM_INTERVAL_MS;
    if ((isNewChannel && isTrimDue) || ++this.appendsSinceChannelTrim >= CHANNEL_TRIM_EVERY)
      await this.trimChannels();
  }

  private remember(channel: string): boolean {
    const isNew = !this.knownChannels.delete(channel);
    this.knownChannels.add(channel);
    if (this.knownChannels.size > this.limits.maxChannels) {
      const oldest = this.knownChannels.values().next().value;
      if (oldest !== undefined) this.knownChannels.delete(oldest);
    }
    return isNew;
  }

  /** Drops whole channels past `maxChannels`, keeping the most recently written ones. */
  async trimChannels(): Promise<void> {
    this.appendsSinceChannelTrim = 0;
    this.lastChannelTrimAt = this.now();
    await this.db.execute(sql`
      DELETE FROM server_events_chat_messages WHERE channel IN (
        SELECT channel FROM server_events_chat_messages GROUP BY channel
        ORDER BY max(id) DESC OFFSET ${this.limits.maxChannels})`);
  }

  async recent(channels: readonly string[], limit: number): Promise<ChatMessage[]> {
    if (channels.length === 0 || limit <= 0) return [];
    const rows = await this.db
      .select()
      .from(chatMessages)
      .where(inArray(chatMessages.channel, [...channels]))
      .orderBy(desc(chatMessages.id))
      .limit(limit);
    return rows.reverse().map(toChatMessage);
  }

  async clear(): Promise<void> {
    await this.db.delete(chatMessages);
  }
}

/** The channel trim scans the table: run it now and then, not on every message. */
const CHANNEL_TRIM_EVERY = 100;
/** New channels trigger the whole-table trim at most this often. */
const NEW_CHANNEL_TRIM_INTERVAL_MS = 10_000;

function toChatMessage(row: ChatMessageRow): ChatMessage {
  return {
    id: row.id,
    channel: row.channel,
    fromUserId: row.fromUserId,
    fromName: row.fromName,
    displayName: row.displayName,
    message: row.message,
    userAuthId: row.userAuthId,
    private: row.isPrivate,
    createdAt: row.createdAt.getTime(),
    selector: row.selector,
  };
}
