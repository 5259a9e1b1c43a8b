export { RedisServerEvents, type RedisServerEventsInit } from "./redis-server-events";
export { RedisBus, type RedisBusOptions } from "./redis-bus";
export { RedisSubscriptionStore } from "./redis-store";
export { DEFAULT_KEY_PREFIX, RedisKeys } from "./redis-keys";
