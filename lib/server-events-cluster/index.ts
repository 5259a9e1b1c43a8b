export { ClusterServerEvents, type ClusterServerEventsInit } from "./cluster-server-events";
export {
  ALL_INSTANCES,
  type ClusterBus,
  type ClusterStore,
  type ControlMessage,
  type StoredSubscription,
} from "./cluster";
export {
  decodeBody,
  decodeBusPayload,
  encodeBody,
  encodeControl,
  encodeInlineBody,
  toPublished,
  type BusPayload,
} from "./bus-payload";
export { reconnectDelay } from "./backoff";
export { BUS_READ_BATCH, BusInbox, type BusInboxOptions } from "./bus-inbox";
