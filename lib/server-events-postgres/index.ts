export { PostgresServerEvents, type PostgresServerEventsInit } from "./postgres-server-events";
export { PostgresBus, type PostgresBusOptions } from "./postgres-bus";
export { PostgresSubscriptionStore } from "./postgres-store";
export { migrateServerEvents, serverEventsMigrations } from "./migrations";
