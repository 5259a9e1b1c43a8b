/** @default "sse:", ServiceStack's prefix. */
const DEFAULT_KEY_PREFIX = "sse:";

/**
 * Every key and the pub/sub channel the provider uses, under one prefix (tests use `sse:<random>:`
 * to run side by side). Names are never parsed back, so channels and user ids may hold `:` or `.`.
 * On Redis Cluster give the prefix a hash tag (`{sse}:`): the Lua scripts touch several keys.
 * @see docs/architecture.md, "Redis" (ServiceStack's layout: sse:id:*, sse:ids, sse:channel:*…)
 */
export class RedisKeys {
  constructor(readonly prefix = DEFAULT_KEY_PREFIX) {}

  /** Pub/sub: messages (or references to them) and control messages, in publish order. */
  get topic(): string {
    return `${this.prefix}topic`;
  }
  /**
   * Stream: the message log, entry id `<messageId>-0`, fields `t` (ms), `b` (body) and `r` (the
   * real-message count at that entry).
   */
  get messages(): string {
    return `${this.prefix}messages`;
  }
  /** Stream: the log's entries without their bodies (`t`, `r`, `s`: bytes before it), for pruning. */
  get messageIndex(): string {
    return `${this.prefix}messages:index`;
  }
  /** Counter: the bytes of every body ever stored: the replay window's byte limit. */
  get messageBytes(): string {
    return `${this.prefix}messages:bytes`;
  }
  /** One published batch's first id, kept a minute: a batch sent again on reconnect is stored once. */
  publishedBatch(token: string): string {
    return `${this.prefix}messages:batch:${token}`;
  }
  /** Counter: the last message id handed out. */
  get messageId(): string {
    return `${this.prefix}messages:id`;
  }
  /** How many real (non-presence) messages were ever stored: the replay window's count limit. */
  get realMessageCount(): string {
    return `${this.prefix}messages:real`;
  }

  /** Highest message id pruned from the log for everyone: a replay from below it is incomplete. */
  get prunedThrough(): string {
    return `${this.prefix}messages:pruned`;
  }
  /**
   * Hash: per audience (`channel:home`, `userId:7`, `all`, …) the highest id of a real message
   * pruned: a replay from below the marks of its own audiences is incomplete.
   */
  get prunedFor(): string {
    return `${this.prefix}messages:pruned-for`;
  }
  /** Sorted set: subscription ids scored by their last pulse (Redis time, ms). */
  get ids(): string {
    return `${this.prefix}ids`;
  }
  /** Hash: one subscription (see redis-store.ts for its fields). */
  id(id: string): string {
    return `${this.prefix}id:${id}`;
  }
  sequence(name: string): string {
    return `${this.prefix}seq:${name}`;
  }
  /** Sorted set: the demo chat's channels, scored by their newest message id. */
  chatChannels(): string {
    return `${this.prefix}chat-channels`;
  }

  /** Counter: the bytes the demo chat's lists hold in all. */
  chatBytes(): string {
    return `${this.prefix}chat-bytes`;
  }

  /** Sorted set: the demo chat's channels, scored by the bytes each list holds. */
  chatChannelBytes(): string {
    return `${this.prefix}chat-channel-bytes`;
  }

  /** List: the demo chat's recent messages in one channel. */
  chat(channel: string): string {
    return `${this.prefix}chat:${channel}`;
  }
}

/** `SCAN MATCH` pattern for every key under `prefix`, glob characters escaped. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[*?[\]\\]/gu, (c) => `\\${c}`)}*`;
}
