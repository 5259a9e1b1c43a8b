import type { Redis } from "ioredis";
import type { ChatHistory, ChatMessage } from "@/lib/demo-services/chat-history";
import { deleteByPattern } from "./lua-script";
import { prefixPattern, RedisKeys } from "./redis-keys";

/** The demo chat's history: a list per channel (`chat:<channel>`) capped at `perChannel`. */
export class RedisChatHistory implements ChatHistory {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys | string = new RedisKeys(),
    private readonly perChannel = 200,
  ) {
    this.keys = typeof keys === "string" ? new RedisKeys(keys) : keys;
  }

  async append(message: ChatMessage): Promise<void> {
    const key = this.keys.chat(message.channel);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(message))
      .ltrim(key, -this.perChannel, -1)
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
  }
}
