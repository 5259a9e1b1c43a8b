export { PostgresServerEvents, type PostgresServerEventsInit } from "./postgres-server-events";
export { PostgresChatHistory } from "./postgres-chat-history";
export { ClusterServerEvents, type ClusterServerEventsInit } from "./cluster-server-events";
export type { ClusterBus, ClusterStore, ControlMessage, StoredSubscription } from "./cluster";
export { PostgresBus, type PostgresBusOptions } from "./postgres-bus";
export { PostgresSubscriptionStore } from "./postgres-store";
