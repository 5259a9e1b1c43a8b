/** Counters since start, like ServiceStack's `GetStats()`; /metrics exports them for Prometheus. */
export interface ServerEventsStats {
  /** Subscriptions connected to this process now. */
  openSubscriptions: number;
  /** Channels with at least one local member now. */
  channels: number;
  messagesPublished: number;
  framesDelivered: number;
  registrations: number;
  unregistrations: number;
  heartbeats: number;
  expiredSubscriptions: number;
  replayedMessages: number;
  slowConsumerDisconnects: number;
  /** Cluster providers only: NOTIFY payloads too large to inline, stored and sent by reference. */
  spilledPayloads?: number;
  /** Cluster providers only: times the listener connection was re-established. */
  listenerReconnects?: number;
}

export type StatsCounter = Exclude<keyof ServerEventsStats, "openSubscriptions" | "channels">;

export function createCounters(): Record<StatsCounter, number> {
  return {
    messagesPublished: 0,
    framesDelivered: 0,
    registrations: 0,
    unregistrations: 0,
    heartbeats: 0,
    expiredSubscriptions: 0,
    replayedMessages: 0,
    slowConsumerDisconnects: 0,
    spilledPayloads: 0,
    listenerReconnects: 0,
  };
}
