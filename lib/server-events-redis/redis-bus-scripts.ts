import { LUA_NOW_MS, LuaScript } from "./lua-script";

/**
 * The message log's writes. Publishing is one script — id, append, PUBLISH — and Redis runs one
 * script at a time, so ids reach the stream and the topic in id order: when an instance receives
 * id N, every stored id below N is already readable (docs/protocol.md, "Replay": no out-of-order commit).
 */
export const busScripts = {
  /**
   * KEYS: id counter, stream, real-message counter. ARGV: topic, first id (used only if the
   * counter is missing — e.g. a Redis restarted without persistence — so ids keep growing past
   * what clients hold), body, inline (1/0), presence (1/0). Returns the id.
   * Each entry records `r`, the count of real (non-presence) messages so far: the window's count
   * limit is applied to `r`, so presence frames never push a real message out.
   */
  publish: new LuaScript(`${LUA_NOW_MS}
redis.call('SET', KEYS[1], ARGV[2], 'NX')
local id = int(redis.call('INCR', KEYS[1]))
local ms = int(now_ms())
local r
if ARGV[5] == '1' then r = redis.call('GET', KEYS[3]) or '0' else r = redis.call('INCR', KEYS[3]) end
redis.call('XADD', KEYS[2], id .. '-0', 't', ms, 'b', ARGV[3], 'r', r)
local payload = 'm ' .. id .. ' ' .. ms
if ARGV[4] == '1' then payload = payload .. ' ' .. ARGV[3] end
redis.call('PUBLISH', ARGV[1], payload)
return id
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
