import { MemoryServerEvents, resolveOptions, type ServerEventsOptions } from "@/lib/server-events";
import type { BusContext, ClusterBus, ClusterStore } from "./cluster";
import { ClusterHousekeeping } from "./cluster-housekeeping";
import type { BusObserver } from "./group-commit";

/** What every cluster provider takes from its caller, whatever its backend. */
export interface ClusterProviderInit {
  /** Unique per running process. @default a random UUID: each process is its own instance */
  instanceId?: string | undefined;
  /** Told about every committed batch (size, wait, commit time), e.g. for histograms. */
  observer?: BusObserver | undefined;
}

/** What a cluster provider is made of; the Postgres and Redis providers differ only here. */
export interface ClusterServerEventsInit<B extends ClusterBus> extends ClusterProviderInit {
  /** The transport, built from what the cluster layer decides (instance id, replay window, …). */
  createBus(context: BusContext): B;
  store: ClusterStore;
}

/** A cluster provider's working parts, wired to each other. */
export interface ClusterParts<B extends ClusterBus> {
  instanceId: string;
  bus: B;
  store: ClusterStore;
  /** The local hub: this process's connections, publishing through the bus. */
  local: MemoryServerEvents;
  housekeeping: ClusterHousekeeping;
}

/**
 * The one way a cluster provider is put together, whichever its backend: the instance id, the
 * bus built with what every bus needs (`BusContext`, from the options), the local hub publishing
 * through that bus, and the housekeeping that mirrors the hub's subscriptions into the store.
 */
export function assembleCluster<B extends ClusterBus>(
  options: ServerEventsOptions,
  init: ClusterServerEventsInit<B>,
): ClusterParts<B> {
  const resolved = resolveOptions(options);
  const instanceId = init.instanceId ?? crypto.randomUUID();
  const bus = init.createBus({
    instanceId,
    replayRetentionMs: resolved.replayRetentionMs,
    replayMaxMessages: resolved.replayMaxMessages,
    replayMaxBytes: resolved.replayMaxBytes,
    observer: init.observer,
    onError: (error) => resolved.onError(error),
  });
  const { store } = init;
  // The hub reports a subscription only once it registers, by when the housekeeping exists.
  const local: MemoryServerEvents = new MemoryServerEvents(options, {
    transport: bus,
    observer: {
      added: (sub) => housekeeping.added(sub),
      removed: (sub) => housekeeping.removed(sub),
      channelsChanged: (sub) => housekeeping.channelsChanged(sub),
    },
  });
  const housekeeping = new ClusterHousekeeping(local, { bus, store, instanceId });
  return { instanceId, bus, store, local, housekeeping };
}
