import { LUA_NOW_MS, LuaScript } from "./lua-script";

/**
 * The message log's writes. Publishing a batch is one script — ids, appends, PUBLISH — and Redis runs
 * one script at a time, so ids reach the stream and the topic in id order: when an instance receives
 * id N, every stored id below N is already readable (docs/protocol.md, "Replay": no out-of-order commit).
 */
export const busScripts = {
  /**
   * A batch of n entries (group commit, see redis-bus.ts). KEYS: id counter, stream, real-message
   * counter. ARGV: topic, first id (used only if the counter is missing — e.g. a Redis restarted
   * without persistence — so ids keep growing past what clients hold), n, slice count; then n
   * bodies; then n flags (1: a real message, 0: a presence frame or a control message); then per
   * slice (`planChunks`) its offset, count and `\n<body>`s ("" for a reference). Returns the
   * first id.
   * Each entry records `r`, the count of real messages so far: the window's count limit is applied
   * to `r`, so presence frames and control messages never push a real message out.
   */
  publishBatch: new LuaScript(`${LUA_NOW_MS}
redis.call('SET', KEYS[1], ARGV[2], 'NX')
local n = tonumber(ARGV[3])
local slices = tonumber(ARGV[4])
local before = tonumber(redis.call('INCRBY', KEYS[1], n)) - n
local ms = int(now_ms())
local r = tonumber(redis.call('GET', KEYS[3]) or '0')
for i = 1, n do
  if ARGV[4 + n + i] == '1' then r = r + 1 end
  redis.call('XADD', KEYS[2], int(before + i) .. '-0', 't', ms, 'b', ARGV[4 + i], 'r', int(r))
end
redis.call('SET', KEYS[3], int(r))
for s = 0, slices - 1 do
  local at = 4 + 2 * n + 3 * s
  local first = before + tonumber(ARGV[at + 1]) + 1
  local last = first + tonumber(ARGV[at + 2]) - 1
  redis.call('PUBLISH', ARGV[1], 'b ' .. int(first) .. ' ' .. int(last) .. ' ' .. ms .. ARGV[at + 3])
end
return int(before + 1)
`),

  /** KEYS: id counter. ARGV: first id. The id counter, created if missing. */
  head: new LuaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`),

  /**
   * KEYS: stream, pruned-through, real-message counter. ARGV: retention ms, max messages, batch
   * size. Drops, from the oldest, entries older than the retention or more than max real messages
   * behind the newest; remembers the highest id dropped. Returns 1 when a whole batch went (call
   * again).
   */
  prune: new LuaScript(`${LUA_NOW_MS}
local cutoff = now_ms() - tonumber(ARGV[1])
local keep_from = tonumber(redis.call('GET', KEYS[3]) or '0') - tonumber(ARGV[2]) + 1
local entries = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[3])
local last, dropped = nil, 0
for _, entry in ipairs(entries) do
  local id = tonumber(string.match(entry[1], '^(%d+)'))
  local real = tonumber(entry[2][6] or '0')
  if real >= keep_from and tonumber(entry[2][2]) >= cutoff then break end
  last, dropped = id, dropped + 1
end
if not last then return 0 end
redis.call('XTRIM', KEYS[1], 'MINID', int(last + 1))
if last > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], int(last)) end
if dropped == #entries then return 1 end
return 0
`),

  /** KEYS: stream, pruned-through. Drops the whole log (ServerEvents.reset). */
  pruneAll: new LuaScript(`
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if newest then
  local id = tonumber(string.match(newest[1], '^(%d+)'))
  if id > tonumber(redis.call('GET', KEYS[2]) or '0') then
    redis.call('SET', KEYS[2], string.format('%.0f', id))
  end
end
redis.call('DEL', KEYS[1])
`),
};
