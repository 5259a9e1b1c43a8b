import { desc, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { chatMessages, type ChatMessageRow } from "@/db/schema";
import type { ChatHistory, ChatMessage } from "@/lib/demo-services/chat-history";

/** The demo chat's history in `server_events_chat_messages`, shared by every instance. */
export class PostgresChatHistory implements ChatHistory {
  constructor(private readonly db: Database) {}

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
