import type { Redis } from "ioredis";
import {
  resolveChatHistoryLimits,
  type ChatHistory,
  type ChatHistoryLimits,
  type ChatMessage,
} from "@/app/_server/chat-history";
import { deleteByPattern, LuaScript, prefixPattern, RedisKeys } from "@/lib/server-events-redis";

/**
 * Appends one message and applies every limit in one atomic step, so that two instances never
 * trim the same channel twice or lose count of the bytes kept. Lua's `#` is a string's length in
 * bytes: the measure of `chatMessageBytes`.
 * KEYS: the channel's list, the channels' sorted set, the byte counter, the channels' sizes.
 * ARGV: the message's JSON, its id, its channel, perChannel, maxChannels, maxBytes, the prefix of
 * every channel's list key.
 */
const appendScript = new LuaScript(`
local list, channels, counter, sizes = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local perChannel, maxChannels, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local listPrefix = ARGV[7]
local kept = tonumber(redis.call('GET', counter) or '-1')
if kept < 0 or (redis.call('EXISTS', sizes) == 0 and kept > 0) then
  -- No count yet (lists written before it existed): count what the lists hold, once.
  kept = 0
  redis.call('DEL', sizes)
  for _, channel in ipairs(redis.call('ZRANGE', channels, 0, -1)) do
    local size = 0
    for _, old in ipairs(redis.call('LRANGE', listPrefix .. channel, 0, -1)) do size = size + #old end
    if size > 0 then redis.call('ZADD', sizes, size, channel) end
    kept = kept + size
  end
end
local function forget(channel, bytes)
  kept = kept - bytes
  if redis.call('ZINCRBY', sizes, -bytes, channel) + 0 <= 0 then redis.call('ZREM', sizes, channel) end
end
kept = kept + #ARGV[1]
redis.call('ZINCRBY', sizes, #ARGV[1], ARGV[3])
redis.call('RPUSH', list, ARGV[1])
redis.call('ZADD', channels, ARGV[2], ARGV[3])
for _ = 1, redis.call('LLEN', list) - perChannel do
  forget(ARGV[3], #redis.call('LPOP', list))
end
local excess = redis.call('ZCARD', channels) - maxChannels
if excess > 0 then
  for _, channel in ipairs(redis.call('ZRANGE', channels, 0, excess - 1)) do
    for _, old in ipairs(redis.call('LRANGE', listPrefix .. channel, 0, -1)) do kept = kept - #old end
    redis.call('DEL', listPrefix .. channel)
    redis.call('ZREM', channels, channel)
    redis.call('ZREM', sizes, channel)
  end
end
-- Past the byte budget, the channel holding the most bytes gives up its oldest first.
while kept > maxBytes do
  -- (Lists an older version wrote without sizes go least recently written first.)
  local channel = redis.call('ZREVRANGE', sizes, 0, 0)[1] or redis.call('ZRANGE', channels, 0, 0)[1]
  if channel == nil then kept = 0 break end
  local old = redis.call('LPOP', listPrefix .. channel)
  if old then forget(channel, #old) else redis.call('ZREM', sizes, channel) end
  if redis.call('LLEN', listPrefix .. channel) == 0 then
    redis.call('ZREM', channels, channel)
    redis.call('ZREM', sizes, channel)
  end
end
redis.call('SET', counter, math.max(kept, 0))
`);

/** Empties every list the channels' set names, the set, the count and the sizes, in one step. */
const clearScript = new LuaScript(`
for _, channel in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  redis.call('DEL', ARGV[1] .. channel)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
`);

/**
 * The demo chat's history: a list per channel (`chat:<channel>`) capped at `perChannel`, a sorted
 * set of the channels by their newest message id (`chat-channels`) capped at `maxChannels`, the
 * bytes kept in all (`chat-bytes`) capped at `maxBytes`, and a sorted set of the channels by the
 * bytes each holds (`chat-channel-bytes`), the largest giving way first past `maxBytes`.
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
    const { perChannel, maxChannels, maxBytes } = this.limits;
    await appendScript.run(
      this.redis,
      [
        this.keys.chat(message.channel),
        this.keys.chatChannels(),
        this.keys.chatBytes(),
        this.keys.chatChannelBytes(),
      ],
      [
        JSON.stringify(message),
        message.id,
        message.channel,
        perChannel,
        maxChannels,
        maxBytes,
        this.keys.chat(""),
      ],
    );
  }

  /**
   * The newest `limit` of the channels' messages. Only those are parsed: the rest are ordered by
   * the id at the head of their JSON (100 channels' lists are up to 64 MiB, and parsing them all
   * held the event loop for 0.6 s per request).
   */
  async recent(channels: readonly string[], limit: number): Promise<ChatMessage[]> {
    if (channels.length === 0 || limit <= 0) return [];
    const pipeline = this.redis.pipeline();
    for (const channel of new Set(channels)) pipeline.lrange(this.keys.chat(channel), -limit, -1);
    const merged = ((await pipeline.exec()) ?? []).flatMap(([error, items]) => {
      if (error) throw error;
      return (items as string[]).map((json) => ({ id: leadingId(json), json }));
    });
    merged.sort((a, b) => a.id - b.id);
    return merged.slice(-limit).map(({ json }) => JSON.parse(json) as ChatMessage);
  }

  /**
   * Lists no channel set names (left by a crash between two writes of an older version) go first;
   * then the rest, the set and the count together, so that an append running meanwhile is
   * either counted in full or cleared in full.
   */
  async clear(): Promise<void> {
    await deleteByPattern(this.redis, prefixPattern(this.keys.chat("")));
    await clearScript.run(
      this.redis,
      [this.keys.chatChannels(), this.keys.chatBytes(), this.keys.chatChannelBytes()],
      [this.keys.chat("")],
    );
  }
}

/**
 * A stored message's id, read from the head of its JSON (`append` writes `JSON.stringify` of a
 * `ChatMessage`, whose first key is `id`); parsed whole only when written some other way.
 */
function leadingId(json: string): number {
  const match = /^\{"id":(\d{1,16}),/u.exec(json.slice(0, 32));
  return match ? Number(match[1]) : (JSON.parse(json) as ChatMessage).id;
}
