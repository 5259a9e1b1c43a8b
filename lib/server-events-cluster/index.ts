export { ClusterServerEvents } from "./cluster-server-events";
export {
  assembleCluster,
  type ClusterParts,
  type ClusterProviderInit,
  type ClusterServerEventsInit,
} from "./cluster-parts";
export { LOCAL_HUB_METHODS, LocalHub, type LocalHubMethod } from "./local-hub";
export {
  ALL_INSTANCES,
  type BusContext,
  type BusCounters,
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
export {
  BusListener,
  type BusListenerEvents,
  type BusListenerOptions,
  type ListenerTimings,
} from "./bus-listener";
export { LogBus, type LogBusOptions } from "./log-bus";
