export { ClusterServerEvents, type ClusterServerEventsInit } from "./cluster-server-events";
export {
  ALL_INSTANCES,
  type ClusterBus,
  type ClusterStore,
  type ControlMessage,
  type StoredSubscription,
} from "./cluster";
export {
  batchHeader,
  decodeBody,
  decodeBusPayload,
  encodeBody,
  encodeControl,
  isControl,
  toColumns,
  toEntry,
  type BusEntry,
  type BusPayload,
  type BusRequest,
  type ControlRequest,
  type EntryColumns,
  type LoggedControl,
} from "./bus-payload";
export { countByReference, planChunks, type BatchChunk } from "./batch-chunks";
export {
  GroupCommit,
  type BusObserver,
  type CommittedBatch,
  type GroupCommitOptions,
} from "./group-commit";
export { reconnectDelay } from "./backoff";
export { BUS_READ_BATCH, BusInbox, type BusInboxOptions } from "./bus-inbox";
