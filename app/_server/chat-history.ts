export interface ChatMessage {
  id: number;
  channel: string;
  fromUserId: string;
  fromName: string;
  displayName: string;
  message: string;
  userAuthId: string | null;
  private: boolean;
  createdAt: number;
  selector: string;
  /** Private messages only: who it is for, so both sides can file it under one conversation. */
  toUserId?: string;
  toName?: string;
}

/** Recent public messages per channel, loaded by a client when it joins. */
export interface ChatHistory {
  append(message: ChatMessage): Promise<void>;
  /** Newest last; at most `limit` messages across the given channels. */
  recent(channels: readonly string[], limit: number): Promise<ChatMessage[]>;
  clear(): Promise<void>;
}

/** Every history stays bounded, whoever posts: a few messages per channel, a few channels. */
export interface ChatHistoryLimits {
  /** @default 200 */
  perChannel: number;
  /** Past this, the channel written to least recently is forgotten. @default 1000 */
  maxChannels: number;
}

export function resolveChatHistoryLimits(
  limits: Partial<ChatHistoryLimits> = {},
): ChatHistoryLimits {
  return { perChannel: limits.perChannel ?? 200, maxChannels: limits.maxChannels ?? 1000 };
}

export class MemoryChatHistory implements ChatHistory {
  /** Insertion order is recency: a channel is moved to the end whenever it is written. */
  private readonly byChannel = new Map<string, ChatMessage[]>();
  private readonly limits: ChatHistoryLimits;

  constructor(limits: Partial<ChatHistoryLimits> = {}) {
    this.limits = resolveChatHistoryLimits(limits);
  }

  append(message: ChatMessage): Promise<void> {
    const list = this.byChannel.get(message.channel) ?? [];
    list.push(message);
    if (list.length > this.limits.perChannel) list.splice(0, list.length - this.limits.perChannel);
    this.byChannel.delete(message.channel);
    this.byChannel.set(message.channel, list);
    if (this.byChannel.size > this.limits.maxChannels) {
      const leastRecent = this.byChannel.keys().next().value;
      if (leastRecent !== undefined) this.byChannel.delete(leastRecent);
    }
    return Promise.resolve();
  }

  recent(channels: readonly string[], limit: number): Promise<ChatMessage[]> {
    const merged = channels.flatMap((channel) => this.byChannel.get(channel) ?? []);
    merged.sort((a, b) => a.id - b.id);
    return Promise.resolve(merged.slice(-limit));
  }

  clear(): Promise<void> {
    this.byChannel.clear();
    return Promise.resolve();
  }
}
