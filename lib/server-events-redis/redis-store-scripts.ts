import { LUA_NOW_MS, LuaScript } from "./lua-script";

/**
 * The subscription registry's writes, each one atomic. A subscription is the hash `id:<id>`
 * (fields `instance`, `userId`, `userName`, `sessionId`, `channels` and `meta` as JSON, `info`
 * for the rest), a member of `ids` scored by its last pulse, and a member of the index sets
 * `channel:<ch>`, `userid:<id>`, `username:<name>`, `session:<id>` and `instance:<id>` — the
 * layout of ServiceStack's RedisServerEvents plus the owning instance. ARGV[1] is the key prefix.
 */
const LIBRARY = `${LUA_NOW_MS}
local P = ARGV[1]

local function fields(id)
  local flat = redis.call('HGETALL', P .. 'id:' .. id)
  if #flat == 0 then return nil, flat end
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h, flat
end

local function index_keys(h)
  local keys = { P .. 'userid:' .. h.userId, P .. 'instance:' .. h.instance }
  if h.userName then keys[#keys + 1] = P .. 'username:' .. h.userName end
  if h.sessionId then keys[#keys + 1] = P .. 'session:' .. h.sessionId end
  for _, channel in ipairs(cjson.decode(h.channels)) do
    keys[#keys + 1] = P .. 'channel:' .. channel
  end
  return keys
end

local function index(id, h)
  for _, key in ipairs(index_keys(h)) do redis.call('SADD', key, id) end
end

local function unindex(id, h)
  for _, key in ipairs(index_keys(h)) do redis.call('SREM', key, id) end
end

-- The row as HGETALL pairs plus id and lastPulseAt, or nil when another caller removed it first.
local function remove(id)
  local h, flat = fields(id)
  local score = redis.call('ZSCORE', P .. 'ids', id)
  redis.call('ZREM', P .. 'ids', id)
  if not h then return nil end
  unindex(id, h)
  redis.call('DEL', P .. 'id:' .. id)
  for _, pair in ipairs({ 'id', id, 'lastPulseAt', score or '0' }) do flat[#flat + 1] = pair end
  return flat
end
`;

const script = (body: string) => new LuaScript(`${LIBRARY}\n${body}`);

export const storeScripts = {
  /** ARGV: prefix, id, then field/value pairs. Replaces any earlier row of the same id. */
  insert: script(`
local id = ARGV[2]
remove(id)
local pairs_ = {}
for i = 3, #ARGV do pairs_[#pairs_ + 1] = ARGV[i] end
-- Registration order, cluster-wide: listings sort by createdAt, then by this.
pairs_[#pairs_ + 1] = 'n'
pairs_[#pairs_ + 1] = redis.call('INCR', P .. 'ids:n')
redis.call('HSET', P .. 'id:' .. id, unpack(pairs_))
index(id, fields(id))
redis.call('ZADD', P .. 'ids', now_ms(), id)
`),

  /** ARGV: prefix, id. */
  remove: script(`return remove(ARGV[2])`),

  /** ARGV: prefix, id, channels JSON, meta JSON. */
  updateChannels: script(`
local id = ARGV[2]
local h = fields(id)
if not h then return 0 end
unindex(id, h)
redis.call('HSET', P .. 'id:' .. id, 'channels', ARGV[3], 'meta', ARGV[4])
h.channels = ARGV[3]
index(id, h)
return 1
`),

  /** ARGV: prefix, id. Returns the owning instance, or nil for an unknown id. */
  pulse: script(`
local owner = redis.call('HGET', P .. 'id:' .. ARGV[2], 'instance')
if not owner then return nil end
redis.call('ZADD', P .. 'ids', now_ms(), ARGV[2])
return owner
`),

  /** ARGV: prefix, ids… Only rows that still exist are touched. */
  touch: script(`
local now = now_ms()
for i = 2, #ARGV do redis.call('ZADD', P .. 'ids', 'XX', now, ARGV[i]) end
`),

  /** ARGV: prefix, instance to spare, idle ms. Returns the removed rows. */
  removeExpired: script(`
local removed = {}
local cutoff = now_ms() - tonumber(ARGV[3])
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'ids', '-inf', '(' .. int(cutoff))) do
  if redis.call('HGET', P .. 'id:' .. id, 'instance') ~= ARGV[2] then
    local row = remove(id)
    if row then removed[#removed + 1] = row end
  end
end
return removed
`),

  /** ARGV: prefix, instance. Returns the removed rows. */
  removeInstance: script(`
local removed = {}
for _, id in ipairs(redis.call('SMEMBERS', P .. 'instance:' .. ARGV[2])) do
  local row = remove(id)
  if row then removed[#removed + 1] = row end
end
return removed
`),

  /** ARGV: prefix. */
  removeAll: script(`
for _, id in ipairs(redis.call('ZRANGE', P .. 'ids', 0, -1)) do remove(id) end
`),
};
