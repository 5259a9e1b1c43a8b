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
  /**
   * The whole history's size, each message measured by {@link chatMessageBytes}: 1,000 channels
   * of 200 messages of 4,000 characters would otherwise be over 2 GB. Past it, the channel
   * holding the most bytes gives up its oldest messages first, so that a few channels filled with
   * long messages shrink before a quiet channel loses anything. Histories held in memory (the
   * process's, Redis's) keep to it; the Postgres one is on disk and bounded by rows alone.
   * @default 64 MiB
   */
  maxBytes: number;
}

export function resolveChatHistoryLimits(
  limits: Partial<ChatHistoryLimits> = {},
): ChatHistoryLimits {
  return {
    perChannel: limits.perChannel ?? 200,
    maxChannels: limits.maxChannels ?? 1000,
    maxBytes: limits.maxBytes ?? 64 * 1024 * 1024,
  };
}

/** What one kept message counts against `maxBytes`: the UTF-8 length of its JSON, as Redis keeps it. */
export const chatMessageBytes = (message: ChatMessage): number =>
  Buffer.byteLength(JSON.stringify(message));

export class MemoryChatHistory implements ChatHistory {
  /** Insertion order is recency: a channel is moved to the end whenever it is written. */
  private readonly byChannel = new Map<string, ChatMessage[]>();
  /** What each channel's messages count against `maxBytes`. */
  private readonly bytesOf = new Map<string, number>();
  private readonly limits: ChatHistoryLimits;
  private keptBytes = 0;

  constructor(limits: Partial<ChatHistoryLimits> = {}) {
    this.limits = resolveChatHistoryLimits(limits);
  }

  append(message: ChatMessage): Promise<void> {
    const { channel } = message;
    const list = this.byChannel.get(channel) ?? [];
    list.push(message);
    this.count(channel, chatMessageBytes(message));
    if (list.length > this.limits.perChannel)
      this.forget(channel, list, list.length - this.limits.perChannel);
    this.byChannel.delete(channel);
    this.byChannel.set(channel, list);
    if (this.byChannel.size > this.limits.maxChannels) this.forgetLeastRecentChannel();
    while (this.keptBytes > this.limits.maxBytes && this.byChannel.size > 0) {
      const largest = this.largestChannel();
      const list = this.byChannel.get(largest)!;
      this.forget(largest, list, 1);
      if (list.length === 0) this.byChannel.delete(largest);
    }
    return Promise.resolve();
  }

  private count(channel: string, bytes: number): void {
    this.keptBytes += bytes;
    const total = (this.bytesOf.get(channel) ?? 0) + bytes;
    if (total > 0) this.bytesOf.set(channel, total);
    else this.bytesOf.delete(channel);
  }

  private forget(channel: string, list: ChatMessage[], count: number): void {
    for (const message of list.splice(0, count)) this.count(channel, -chatMessageBytes(message));
  }

  private forgetLeastRecentChannel(): void {
    const [channel, list] = this.byChannel.entries().next().value!;
    this.forget(channel, list, list.length);
    this.byChannel.delete(channel);
  }

  /** The channel holding the most bytes; of equals, the one written least recently. */
  private largestChannel(): string {
    let largest = "";
    let most = -1;
    for (const channel of this.byChannel.keys()) {
      const bytes = this.bytesOf.get(channel) ?? 0;
      if (bytes > most) [largest, most] = [channel, bytes];
    }
    return largest;
  }

  recent(channels: readonly string[], limit: number): Promise<ChatMessage[]> {
    // Each channel's list is in id order: only its last `limit` can be among the newest `limit`.
    const merged = channels.flatMap((channel) => (this.byChannel.get(channel) ?? []).slice(-limit));
    merged.sort((a, b) => a.id - b.id);
    return Promise.resolve(merged.slice(-limit));
  }

  clear(): Promise<void> {
    this.byChannel.clear();
    this.bytesOf.clear();
    this.keptBytes = 0;
    return Promise.resolve();
  }
}
