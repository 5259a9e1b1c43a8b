import type { MessageTransport, ServerEventsStats, SubscriptionInfo } from "@/lib/server-events";
import type { BusObserver } from "./group-commit";

/**
 * Instructions for the instance that holds a subscription's stream (ServiceStack's Redis provider
 * sends `pulse.id.<id>`, `unregister.id.<id>`, `subscribe.id.<id>` the same way).
 */
export type ControlMessage =
  | { type: "pulse"; id: string }
  /** The sender already removed the row and sent onLeave: close the stream quietly. */
  | { type: "unregister"; id: string }
  | { type: "subscribe"; id: string; channels: string[] }
  | { type: "unsubscribe"; id: string; channels: string[] }
  | { type: "reset" };

/** Everyone, the sender excluded. */
export const ALL_INSTANCES = "*";

/**
 * A `MessageTransport` that spans instances: the cluster layer (`ClusterServerEvents`) is written
 * against this, so the Postgres and the Redis buses share the semantics. A control message and the
 * messages this instance publishes after it arrive everywhere in the order they were sent.
 */
export interface ClusterBus extends MessageTransport {
  /**
   * Sends `message` to `instanceId` (or `ALL_INSTANCES`). Every type but `pulse` is logged like a
   * message (its own id, in order with the messages around it), so an instance whose connection
   * to the bus was down reads it back on catch-up: a remote subscribe is never lost. Pulses are
   * only sent: the next heartbeat repeats one. Resolves once logged (a pulse: once sent).
   */
  sendControl(instanceId: string, message: ControlMessage): Promise<void>;
  /** Control messages for this instance, applied in order with the messages around them. */
  onControl(handler: (message: ControlMessage) => void): void;
  /** Delivers whatever was published and not yet seen here (before trusting a Last-Event-ID). */
  catchUp(): Promise<void>;
  /** Drops messages older than the replay window. */
  pruneMessages(): Promise<void>;
  /** True while the listener connection is subscribed; false while it reconnects. */
  readonly isListening: boolean;
  /** What the bus counts itself, merged into the provider's `getStats`. */
  readonly counters: BusCounters;
}

/** The bus's own counters: these win over the local provider's in `getStats`. */
export type BusCounters = Required<
  Pick<ServerEventsStats, "messagesPublished" | "spilledPayloads" | "listenerReconnects">
>;

/**
 * What every bus is built with, decided once by the cluster layer (`ClusterServerEvents`) from
 * the provider's options, so that each provider only adds its transport's own settings.
 */
export interface BusContext {
  /** Unique per running process; rows and control messages are addressed by it. */
  instanceId: string;
  /** The replay window the log is pruned to. */
  replayRetentionMs: number;
  replayMaxMessages: number;
  /** Bytes of bodies the log keeps at most, where the transport can count them (Redis). */
  replayMaxBytes: number;
  /** Batch sizes and commit times, for metrics. */
  observer: BusObserver | undefined;
  onError(error: unknown): void;
}

/** A subscription as every instance sees it: its info plus the instance that holds its stream. */
export interface StoredSubscription extends SubscriptionInfo {
  instanceId: string;
}

/** The cluster-wide subscription registry. Removals return the row only to the one caller that won. */
export interface ClusterStore {
  insert(instanceId: string, info: SubscriptionInfo): Promise<void>;
  remove(id: string): Promise<StoredSubscription | null>;
  updateChannels(
    id: string,
    channels: readonly string[],
    meta: Record<string, string>,
  ): Promise<void>;
  get(id: string): Promise<StoredSubscription | null>;
  byUserId(userId: string): Promise<StoredSubscription[]>;
  all(): Promise<StoredSubscription[]>;
  inAnyChannel(channels: readonly string[]): Promise<StoredSubscription[]>;
  /** Marks local subscriptions as alive now (batched heartbeats). */
  touch(ids: readonly string[]): Promise<void>;
  /** A heartbeat for a subscription held anywhere: returns its owner, or null when unknown. */
  pulse(id: string): Promise<string | null>;
  /** Ids of the rows `instanceId` holds. */
  idsOf(instanceId: string): Promise<Set<string>>;
  /** Removes other instances' subscriptions idle for longer than `idleMs`. */
  removeExpired(exceptInstanceId: string, idleMs: number): Promise<StoredSubscription[]>;
  removeInstance(instanceId: string): Promise<StoredSubscription[]>;
  removeAll(): Promise<void>;
}
