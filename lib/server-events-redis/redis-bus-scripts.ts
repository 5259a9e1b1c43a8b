import { LUA_NOW_MS, LuaScript } from "./lua-script";

/**
 * The message log's writes. Publishing a batch is one script — ids, appends, PUBLISH — and Redis runs
 * one script at a time, so ids reach the stream and the topic in id order: when an instance receives
 * id N, every stored id below N is already readable (docs/protocol.md, "Replay": no out-of-order commit).
 */
export const busScripts = {
  /**
   * A batch of n entries (group commit, see redis-bus.ts). KEYS: id counter, stream, real-message
   * counter, index stream, byte counter. ARGV: topic, first id (used only if the counter is
   * missing — e.g. a Redis restarted without persistence — so ids keep growing past what clients
   * hold), n, slice count; then n bodies; then n audiences (`targetKeyOf`: `channel:home`, … for
   * a real message; "" for a presence frame or a control message); then per slice (`planChunks`)
   * its offset, count and `\n<body>`s ("" for a reference). Returns the first id.
   * Each entry records `r`, the count of real messages so far: the window's count limit is applied
   * to `r`, so presence frames and control messages never push a real message out. The index
   * stream repeats each entry without its body (`t`, `r`, `s`, the bytes of bodies stored before
   * it, and `a`, its audience), so that pruning never reads a body.
   * KEYS[6] names the batch: a batch run again (its reply lost with the connection, and the
   * command sent again on the next) returns the first id it was given, and stores nothing twice.
   */
  publishBatch: new LuaScript(
    `${LUA_NOW_MS}
local done = redis.call('GET', KEYS[6])
if done then return done end
redis.call('SET', KEYS[1], ARGV[2], 'NX')
local n = tonumber(ARGV[3])
local slices = tonumber(ARGV[4])
local before = tonumber(redis.call('INCRBY', KEYS[1], n)) - n
local ms = int(now_ms())
local r = tonumber(redis.call('GET', KEYS[3]) or '0')
local bytes = tonumber(redis.call('GET', KEYS[5]) or '0')
for i = 1, n do
  local audience = ARGV[4 + n + i]
  if audience ~= '' then r = r + 1 end
  local id = int(before + i) .. '-0'
  redis.call('XADD', KEYS[2], id, 't', ms, 'b', ARGV[4 + i], 'r', int(r))
  redis.call('XADD', KEYS[4], id, 't', ms, 'r', int(r), 's', int(bytes), 'a', audience)
  bytes = bytes + #ARGV[4 + i]
end
redis.call('SET', KEYS[3], int(r))
redis.call('SET', KEYS[5], int(bytes))
for s = 0, slices - 1 do
  local at = 4 + 2 * n + 3 * s
  local first = before + tonumber(ARGV[at + 1]) + 1
  local last = first + tonumber(ARGV[at + 2]) - 1
  redis.call('PUBLISH', ARGV[1], 'b ' .. int(first) .. ' ' .. int(last) .. ' ' .. ms .. ARGV[at + 3])
end
redis.call('SET', KEYS[6], int(before + 1), 'PX', 60000)
return int(before + 1)
`,
    { pipelined: true },
  ),

  /** KEYS: id counter. ARGV: first id. The id counter, created if missing. */
  head: new LuaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return redis.call('GET', KEYS[1])
`),

  /**
   * KEYS: stream, pruned-through, real-message counter, index stream, byte counter, marks per
   * audience. ARGV: retention ms, max messages, batch size, max bytes, max marks. Drops, from the
   * oldest, entries older than the retention, more than max real messages behind the newest, or
   * while the bodies kept would exceed max bytes. Remembers, per audience, the highest id of a
   * real message dropped: a resume is incomplete only if one of its own audiences lost a message
   * after its cursor. Presence frames and control messages go without a mark; an entry written
   * before audiences were recorded raises the mark for everyone. Past max marks, the lower half
   * fold into that one. Reads the index, never a body (reading 500 entries of 2 MB each on every
   * pass stalled Redis for seconds). A log written before the index existed is read itself,
   * bytes unchecked. Returns 1 when a whole batch went (call again).
   */
  prune: new LuaScript(`${LUA_NOW_MS}
local cutoff = now_ms() - tonumber(ARGV[1])
local keep_from = tonumber(redis.call('GET', KEYS[3]) or '0') - tonumber(ARGV[2]) + 1
local bytes_from = tonumber(redis.call('GET', KEYS[5]) or '0') - tonumber(ARGV[4])
local indexed = redis.call('XLEN', KEYS[4]) > 0
local entries = redis.call('XRANGE', indexed and KEYS[4] or KEYS[1], '-', '+', 'COUNT', ARGV[3])
local last, dropped, unmarked = nil, 0, nil
local marks = {}
for _, entry in ipairs(entries) do
  local f = {}
  for i = 1, #entry[2], 2 do f[entry[2][i]] = entry[2][i + 1] end
  local id = tonumber(string.match(entry[1], '^(%d+)'))
  local recent = tonumber(f.t) >= cutoff
  local within = tonumber(f.r or '0') >= keep_from and tonumber(f.s or bytes_from) >= bytes_from
  if recent and within then break end
  last, dropped = id, dropped + 1
  if f.a == nil then unmarked = id elseif f.a ~= '' then marks[f.a] = id end
end
if not last then return 0 end
redis.call('XTRIM', KEYS[1], 'MINID', int(last + 1))
redis.call('XTRIM', KEYS[4], 'MINID', int(last + 1))
local function raise_mark(id)
  if id > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], int(id)) end
end
if unmarked then raise_mark(unmarked) end
for audience, id in pairs(marks) do redis.call('HSET', KEYS[6], audience, int(id)) end
local max_marks = tonumber(ARGV[5])
if redis.call('HLEN', KEYS[6]) > max_marks then
  local all = redis.call('HGETALL', KEYS[6])
  local sorted = {}
  for i = 1, #all, 2 do sorted[#sorted + 1] = { all[i], tonumber(all[i + 1]) } end
  table.sort(sorted, function(x, y) return x[2] < y[2] end)
  local fold = #sorted - math.floor(max_marks / 2)
  for i = 1, fold do redis.call('HDEL', KEYS[6], sorted[i][1]) end
  raise_mark(sorted[fold][2])
end
if dropped == #entries then return 1 end
return 0
`),

  /**
   * KEYS: stream, pruned-through, index stream, marks per audience. Drops the whole log
   * (ServerEvents.reset): the mark for everyone passes every id and takes over the audiences'.
   */
  pruneAll: new LuaScript(`
local passed = tonumber(redis.call('GET', KEYS[2]) or '0')
local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if newest then passed = math.max(passed, tonumber(string.match(newest[1], '^(%d+)'))) end
-- An empty log may still have marks: the one for everyone takes them over.
for _, id in ipairs(redis.call('HVALS', KEYS[4])) do passed = math.max(passed, tonumber(id)) end
redis.call('SET', KEYS[2], string.format('%.0f', passed))
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
`),
};
