import {
  assertChannelListSize,
  checkChannelChange,
  describeError,
  parseChannelList,
  type ChannelChange,
  subscriptionNotFound,
  type StopOptions,
  type Readiness,
  type RegisterOptions,
  type ServerEvents,
  type ServerEventsOptions,
  type ServerEventsStats,
  type Subscription,
  type SubscriptionInfo,
} from "@/lib/server-events";
import {
  ALL_INSTANCES,
  type ClusterBus,
  type ClusterStore,
  type ControlMessage,
  type StoredSubscription,
} from "./cluster";
import type { ClusterHousekeeping } from "./cluster-housekeeping";
import { assembleCluster, type ClusterServerEventsInit } from "./cluster-parts";
import { LocalHub } from "./local-hub";

/**
 * A provider for several instances: a `MemoryServerEvents` (the local hub, `local`) delivers to
 * this process's connections and answers publishing as it is (`LocalHub`), the bus carries
 * messages between instances, and the store holds every instance's subscriptions so listings,
 * presence and heartbeats work cluster-wide. Providers subclass it with their bus and store
 * (`assembleCluster` puts the parts together).
 * @see docs/architecture.md, "The cluster layer" (ServiceStack's RedisServerEvents does the same with Redis)
 */
export class ClusterServerEvents<B extends ClusterBus = ClusterBus>
  extends LocalHub
  implements ServerEvents
{
  readonly instanceId: string;
  /** The transport (exposed for stats, and for tests that cut its listener). */
  readonly bus: B;
  private readonly store: ClusterStore;
  private readonly housekeeping: ClusterHousekeeping;

  constructor(options: ServerEventsOptions, init: ClusterServerEventsInit<B>) {
    const parts = assembleCluster(options, init);
    super(parts.local);
    this.instanceId = parts.instanceId;
    this.bus = parts.bus;
    this.store = parts.store;
    this.housekeeping = parts.housekeeping;
    this.bus.onControl((message) => this.applyControl(message));
  }

  get options() {
    return this.local.options;
  }

  async getSubscriptionInfo(id: string): Promise<SubscriptionInfo | null> {
    const local = this.local.localSubscription(id);
    if (local) return local.toInfo();
    const row = await this.store.get(id);
    return row && toInfo(row);
  }

  async getSubscriptionInfosByUserId(userId: string): Promise<SubscriptionInfo[]> {
    return (await this.store.byUserId(userId)).map(toInfo);
  }

  async getAllSubscriptionInfos(): Promise<SubscriptionInfo[]> {
    return (await this.store.all()).map(toInfo);
  }

  /** Same order as the memory provider: channel by channel, then by age. */
  async getSubscriptionsDetails(
    ...channelArgs: (string | readonly string[])[]
  ): Promise<Record<string, string>[]> {
    const channels = channelArgs.flat();
    const rows = await this.store.inAnyChannel(channels);
    const seen = new Set<StoredSubscription>();
    for (const channel of channels)
      for (const row of rows) if (row.channels.includes(channel)) seen.add(row);
    return [...seen].map((row) => ({ ...row.meta }));
  }

  async getAllSubscriptionsDetails(): Promise<Record<string, string>[]> {
    return (await this.store.all()).map((row) => ({ ...row.meta }));
  }

  async register(
    subscription: Subscription,
    connectArgs: Record<string, string>,
    options: RegisterOptions = {},
  ): Promise<void> {
    // The client may come from an instance that is a few messages ahead of this one: catch up
    // first, or its Last-Event-ID would look like one from the future and the replay be skipped.
    if (options.lastEventId !== undefined && options.lastEventId > this.bus.head())
      await this.bus.catchUp();
    await this.local.register(subscription, connectArgs, options, this);
  }

  /**
   * A remote subscription is removed here (the store says who wins), its onLeave sent from here,
   * and its owner told to close the stream — so it works even when the owner is gone.
   */
  async unRegister(subscription: string | Subscription): Promise<SubscriptionInfo | null> {
    const id = typeof subscription === "string" ? subscription : subscription.id;
    if (this.local.localSubscription(id)) return this.local.unRegister(id);
    const row = await this.store.remove(id);
    if (!row) return null;
    // Control first: the bus keeps this instance's publish order, so the owner unindexes the
    // leaver before the onLeave arrives and the leaver does not receive its own onLeave.
    try {
      await this.bus.sendControl(row.instanceId, { type: "unregister", id });
    } finally {
      // Also when the owner could not be told (its housekeeping then closes the stream): the row
      // is gone, so this is the only onLeave there will be.
      await this.housekeeping.announceLeave(row);
    }
    return toInfo(row);
  }

  /**
   * A remote subscription's owner applies the change; the list it would end with is checked here
   * first, against the stored row, so that a change the owner would refuse gets its 400 here too.
   */
  async subscribeToChannels(id: string, channels: readonly string[]): Promise<void> {
    if (this.local.localSubscription(id)) return this.local.subscribeToChannels(id, channels);
    const row = await this.requireRow(id);
    const parsed = parseChannelList(channels, "subscribeChannels");
    assertChannelListSize([...new Set([...row.channels, ...parsed])], "subscribeChannels");
    await this.bus.sendControl(row.instanceId, { type: "subscribe", id, channels: parsed });
  }

  async unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void> {
    if (this.local.localSubscription(id)) return this.local.unsubscribeFromChannels(id, channels);
    const row = await this.requireRow(id);
    const parsed = parseChannelList(channels, "unsubscribeChannels");
    await this.bus.sendControl(row.instanceId, { type: "unsubscribe", id, channels: parsed });
  }

  /** Both steps checked against the stored list first; the owner applies them in order. */
  async changeChannels(id: string, change: ChannelChange): Promise<void> {
    if (this.local.localSubscription(id)) return this.local.changeChannels(id, change);
    const row = await this.requireRow(id);
    const { unsubscribe, subscribe } = checkChannelChange(row.channels, change);
    if (unsubscribe)
      await this.bus.sendControl(row.instanceId, {
        type: "unsubscribe",
        id,
        channels: unsubscribe,
      });
    if (subscribe)
      await this.bus.sendControl(row.instanceId, { type: "subscribe", id, channels: subscribe });
  }

  /**
   * Local: pulse now, write the row later (batched). Remote: tell the owner, which writes the row
   * when the pulse reaches it — so a dead instance's subscription whose heartbeats land on a
   * survivor (behind a load balancer) still expires and gets its onLeave.
   */
  async pulse(id: string): Promise<boolean> {
    if (this.local.localSubscription(id)) {
      const alive = await this.local.pulse(id);
      if (alive) this.housekeeping.pulsed(id);
      return alive;
    }
    const row = await this.store.get(id);
    if (row === null) return false;
    if (row.instanceId !== this.instanceId)
      await this.bus.sendControl(row.instanceId, { type: "pulse", id });
    return true;
  }

  /** This instance's expired subscriptions and dead instances' rows; returns how many. */
  removeExpiredSubscriptions(): Promise<number> {
    return this.housekeeping.run();
  }

  /** Forgets every subscription in the cluster (streams stay open; heartbeats then get 404). */
  async reset(): Promise<void> {
    this.housekeeping.forgetAll();
    await this.local.reset();
    await this.store.removeAll();
    await this.bus.sendControl(ALL_INSTANCES, { type: "reset" });
  }

  /** The listener is subscribed and the store answers (a lookup of an id that cannot exist). */
  async checkReadiness(): Promise<Readiness> {
    if (!this.bus.isListening)
      return { ready: false, reason: "the bus listener is not connected (reconnecting)" };
    try {
      await this.store.get("readiness-probe");
      return { ready: true };
    } catch (error) {
      return {
        ready: false,
        reason: `the subscription store does not answer: ${describeError(error)}`,
      };
    }
  }

  async start(): Promise<void> {
    await this.local.start();
    await this.housekeeping.start();
  }

  /**
   * With `notify`, the streams end first (their clients resume elsewhere at once, and are not sent
   * each other's onLeave), then this instance's rows are removed and their onLeave published.
   * `keepStreamsUntilLeft` is for a host that exits once its connections close (`next start` on
   * SIGTERM), which would otherwise cut the publishing short. The local unregistering then finds
   * the rows gone and sends nothing twice.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    await this.housekeeping.stop();
    if (options.notify) {
      if (!options.keepStreamsUntilLeft) this.local.endStreams();
      await this.housekeeping.leaveAll({ onStop: true });
    }
    await this.local.stop(options);
  }

  async getStats(): Promise<ServerEventsStats> {
    return { ...(await this.local.getStats()), ...this.bus.counters };
  }

  private async requireRow(id: string): Promise<StoredSubscription> {
    const row = await this.store.get(id);
    if (!row) throw subscriptionNotFound(id);
    return row;
  }

  /** Runs in the bus's delivery order; only the synchronous part matters for ordering. */
  private applyControl(message: ControlMessage): void {
    const done = (() => {
      switch (message.type) {
        case "pulse":
          return this.local.pulse(message.id).then((alive) => {
            if (alive) this.housekeeping.pulsed(message.id);
          });
        case "unregister":
          return this.local.unRegister(message.id);
        case "subscribe":
          return this.local.subscribeToChannels(message.id, message.channels);
        case "unsubscribe":
          return this.local.unsubscribeFromChannels(message.id, message.channels);
        case "reset":
          this.housekeeping.forgetAll();
          return this.local.reset();
      }
    })();
    done.catch((error: unknown) => this.options.onError(error));
  }
}

function toInfo(row: StoredSubscription): SubscriptionInfo {
  const { instanceId: _instanceId, ...info } = row;
  return info;
}
