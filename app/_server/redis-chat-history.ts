import type { Redis } from "ioredis";
import {
  resolveChatHistoryLimits,
  type ChatHistory,
  type ChatHistoryLimits,
  type ChatMessage,
} from "@/app/_server/chat-history";
import { deleteByPattern } from "@/lib/server-events-redis/lua-script";
import { prefixPattern, RedisKeys } from "@/lib/server-events-redis/redis-keys";

/**
 * The demo chat's history: a list per channel (`chat:<channel>`) capped at `perChannel`, and a
 * sorted set of the channels by their newest message id (`chat-channels`) capped at `maxChannels`.
 */
export class RedisChatHistory implements ChatHistory {
  private readonly keys: RedisKeys;
  private readonly limits: ChatHistoryLimits;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys | string = new RedisKeys(),
    limits: Partial<ChatHistoryLimits> = {},
  ) {
    this.keys = typeof keys === "string" ? new RedisKeys(keys) : keys;
    this.limits = resolveChatHistoryLimits(limits);
  }

  async append(message: ChatMessage): Promise<void> {
    const key = this.keys.chat(message.channel);
    const channelsKey = this.keys.chatChannels();
    const results = await this.redis
      .multi()
      .rpush(key, JSON.stringify(message))
      .ltrim(key, -this.limits.perChannel, -1)
      .zadd(channelsKey, String(message.id), message.channel)
      .zcard(channelsKey)
      .exec();
    const channelCount = Number(results?.[3]?.[1] ?? 0);
    if (channelCount > this.limits.maxChannels) await this.forgetOldestChannels(channelCount);
  }

  /** Two instances may both trim at once: each removes the same oldest channels, harmlessly. */
  private async forgetOldestChannels(channelCount: number): Promise<void> {
    const channelsKey = this.keys.chatChannels();
    const excess = channelCount - this.limits.maxChannels;
    const oldest = await this.redis.zrange(channelsKey, "0", String(excess - 1));
    if (oldest.length === 0) return;
    await this.redis
      .multi()
      .del(...oldest.map((channel) => this.keys.chat(channel)))
      .zrem(channelsKey, ...oldest)
      .exec();
  }

  async recent(channels: readonly string[], limit: number): Promise<ChatMessage[]> {
    if (channels.length === 0 || limit <= 0) return [];
    const pipeline = this.redis.pipeline();
    for (const channel of new Set(channels)) pipeline.lrange(this.keys.chat(channel), -limit, -1);
    const merged = ((await pipeline.exec()) ?? []).flatMap(([error, items]) => {
      if (error) throw error;
      return (items as string[]).map((item) => JSON.parse(item) as ChatMessage);
    });
    merged.sort((a, b) => a.id - b.id);
    return merged.slice(-limit);
  }

  async clear(): Promise<void> {
    await deleteByPattern(this.redis, prefixPattern(this.keys.chat("")));
    await this.redis.del(this.keys.chatChannels());
  }
}
