export { RedisServerEvents, type RedisServerEventsInit } from "./redis-server-events";
export { RedisKeys, prefixPattern } from "./redis-keys";
export { LuaScript, deleteByPattern } from "./lua-script";
