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
}

/** Recent public messages per channel, loaded by a client when it joins. */
export interface ChatHistory {
  append(message: ChatMessage): Promise<void>;
  /** Newest last; at most `limit` messages across the given channels. */
  recent(channels: readonly string[], limit: number): Promise<ChatMessage[]>;
  clear(): Promise<void>;
}

export class MemoryChatHistory implements ChatHistory {
  private readonly byChannel = new Map<string, ChatMessage[]>();

  constructor(private readonly perChannel = 200) {}

  append(message: ChatMessage): Promise<void> {
    const list = this.byChannel.get(message.channel) ?? [];
    list.push(message);
    if (list.length > this.perChannel) list.splice(0, list.length - this.perChannel);
    this.byChannel.set(message.channel, list);
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
