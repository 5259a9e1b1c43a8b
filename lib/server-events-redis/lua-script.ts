import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet (first
 * run, or after a restart or SCRIPT FLUSH). A script runs atomically: what it reads cannot change
 * before it writes, which a MULTI cannot promise.
 *
 * A `pipelined` script is always sent whole (EVAL): runs sent one behind another on a connection
 * must run in that order, and an EVALSHA refused with NOSCRIPT, sent again as EVAL, would run
 * after the ones sent behind it (once another connection had loaded the script meanwhile).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(
    /** The script's text (tests load it as another instance would). */
    readonly source: string,
    private readonly options: { pipelined?: boolean } = {},
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    if (this.options.pipelined) return redis.eval(this.source, keys.length, ...keys, ...args);
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Redis's own clock in ms, so instances with skewed clocks agree on ages. */
export const LUA_NOW_MS = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Integers up to 2^53 as exact decimal strings (plain concatenation would print 1.7e+15).
local function int(n)
  return string.format('%.0f', n)
end
`;

/** Deletes every key matching `pattern` (SCAN, never KEYS: it does not block the server). */
export async function deleteByPattern(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
