import { checkChannelChange, type ChannelChange } from "./channel-change";
import { subscriptionNotFound } from "./errors";
import type { NotifyTarget, PublishedMessage } from "./message";
import {
  endOfStreamRetryHint,
  resolveOptions,
  type ResolvedServerEventsOptions,
  type ServerEventsOptions,
} from "./options";
import { createNotifyMethods, type NotifyMethods } from "./notify-methods";
import type { Readiness, RegisterOptions, ServerEvents } from "./server-events";
import type { Subscription, SubscriptionInfo, SubscriptionOwner } from "./subscription";
import { createCounters, type ServerEventsStats } from "./stats";
import { SubscriptionIndex } from "./subscription-index";
import { isExpired, LocalDelivery } from "./local-delivery";
import { InProcessTransport, type MessageTransport } from "./transport";
import { SubscriptionLifecycle, type LocalSubscriptionObserver } from "./subscription-lifecycle";
import { assertChannel, assertSelector, parseChannelList, toSingleLineJson } from "./wire/validate";

export interface MemoryServerEventsInit {
  /** How messages get their ids and reach other instances. @default InProcessTransport */
  transport?: MessageTransport;
  observer?: LocalSubscriptionObserver;
}

/**
 * The default provider, and the local-delivery half of every cluster provider: it holds this
 * process's connections, decides who receives what, and writes the frames.
 */
export class MemoryServerEvents implements ServerEvents {
  readonly options: ResolvedServerEventsOptions;
  readonly transport: MessageTransport;
  private readonly index = new SubscriptionIndex();
  /** Counters a cluster provider may add to (spilled payloads, listener reconnects). */
  readonly counters = createCounters();
  private houseKeeping: ReturnType<typeof setInterval> | undefined;
  private lastSweepAt = 0;
  private readonly delivery: LocalDelivery;
  private readonly lifecycle: SubscriptionLifecycle;

  declare notifyAll: NotifyMethods["notifyAll"];
  declare notifyAllJson: NotifyMethods["notifyAllJson"];
  declare notifyChannel: NotifyMethods["notifyChannel"];
  declare notifyChannelJson: NotifyMethods["notifyChannelJson"];
  declare notifySubscription: NotifyMethods["notifySubscription"];
  declare notifySubscriptionJson: NotifyMethods["notifySubscriptionJson"];
  declare notifyUserId: NotifyMethods["notifyUserId"];
  declare notifyUserIdJson: NotifyMethods["notifyUserIdJson"];
  declare notifyUserName: NotifyMethods["notifyUserName"];
  declare notifyUserNameJson: NotifyMethods["notifyUserNameJson"];
  declare notifySession: NotifyMethods["notifySession"];
  declare notifySessionJson: NotifyMethods["notifySessionJson"];

  constructor(options: ServerEventsOptions = {}, init: MemoryServerEventsInit = {}) {
    this.options = resolveOptions(options);
    this.transport = init.transport ?? new InProcessTransport(this.options);
    this.lifecycle = new SubscriptionLifecycle(
      this.index,
      this.transport,
      this.options,
      this.counters,
      init.observer ?? {},
    );
    this.delivery = new LocalDelivery(this.index, this.options, this.counters, (sub) => {
      this.unsubscribe(sub).catch((error: unknown) => this.options.onError(error, sub));
    });
    Object.assign(
      this,
      createNotifyMethods(
        (target, selector, json, channel) => this.publishTo(target, selector, json, channel),
        this.options.serialize,
      ),
    );
  }

  /** Number of subscriptions connected to this process. */
  get localCount(): number {
    return this.index.size;
  }

  localChannels(): string[] {
    return this.index.channelNames();
  }

  /** Members on this process per channel (the admin dashboard's per-instance report). */
  localChannelSizes(): Map<string, number> {
    return this.index.channelSizes();
  }

  localSubscription(id: string): Subscription | undefined {
    return this.index.get(id);
  }

  /** Sees every message this instance delivers (the admin monitor counts traffic with it). */
  observeMessages(listener: (message: PublishedMessage) => void): () => void {
    return this.delivery.observe(listener);
  }

  getStats(): Promise<ServerEventsStats> {
    return Promise.resolve({
      openSubscriptions: this.index.size,
      channels: this.index.channelNames().length,
      ...this.counters,
    });
  }

  async start(): Promise<void> {
    await this.transport.connect((message) => this.deliver(message));
    this.houseKeeping ??= setInterval(() => {
      this.removeExpiredSubscriptions().catch((error: unknown) => this.options.onError(error));
    }, this.options.houseKeepingIntervalMs);
    this.houseKeeping.unref?.();
  }

  /** Nothing outside the process to wait for. */
  checkReadiness(): Promise<Readiness> {
    return Promise.resolve({ ready: true });
  }

  async stop({ notify = false }: { notify?: boolean } = {}): Promise<void> {
    clearInterval(this.houseKeeping);
    this.houseKeeping = undefined;
    const subscriptions = [...this.index.all()];
    // Clients move on at once (to another instance, behind a load balancer) and resume there.
    for (const sub of subscriptions) sub.endWithRetryHint(endOfStreamRetryHint(this.options));
    if (notify) await Promise.all(subscriptions.map((sub) => this.unsubscribe(sub)));
    for (const sub of subscriptions) {
      this.index.remove(sub);
      sub.close();
    }
    await this.transport.close();
  }

  getSubscriptionInfo(id: string): Promise<SubscriptionInfo | null> {
    return Promise.resolve(this.index.get(id)?.toInfo() ?? null);
  }

  getSubscriptionInfosByUserId(userId: string): Promise<SubscriptionInfo[]> {
    return Promise.resolve(
      [...this.index.recipients({ kind: "userId", value: userId })].map((s) => s.toInfo()),
    );
  }

  getAllSubscriptionInfos(): Promise<SubscriptionInfo[]> {
    return Promise.resolve([...this.index.all()].map((sub) => sub.toInfo()));
  }

  getSubscriptionsDetails(
    ...channels: (string | readonly string[])[]
  ): Promise<Record<string, string>[]> {
    const seen = new Set<Subscription>();
    for (const channel of channels.flat())
      for (const sub of this.index.inChannel(channel)) seen.add(sub);
    return Promise.resolve([...seen].map((sub) => ({ ...sub.meta })));
  }

  getAllSubscriptionsDetails(): Promise<Record<string, string>[]> {
    return Promise.resolve([...this.index.all()].map((sub) => ({ ...sub.meta })));
  }

  /**
   * `owner` is who the subscription's own methods (`sub.pulse()`, `sub.publish()`…) act through:
   * this provider, or the cluster provider this one is the local hub of, so that they reach the
   * store and the other instances.
   */
  register(
    sub: Subscription,
    connectArgs: Record<string, string>,
    options: RegisterOptions = {},
    owner: SubscriptionOwner = this,
  ) {
    // The client went away before we got here: announce nothing for a connection that never was.
    if (sub.isClosed) return Promise.resolve();
    sub.attach(owner);
    return this.lifecycle.join(sub, connectArgs, options);
  }

  /** ServiceStack's `UnRegisterAsync`, by id or with the subscription itself. */
  async unRegister(subscription: string | Subscription): Promise<SubscriptionInfo | null> {
    const id = typeof subscription === "string" ? subscription : subscription.id;
    const sub = this.index.get(id);
    return sub ? this.unsubscribe(sub) : null;
  }

  async subscribeToChannels(id: string, channels: readonly string[]): Promise<void> {
    const sub = this.requireLocal(id);
    const added = parseChannelList(channels, "subscribeChannels").filter(
      (c) => !sub.channels.includes(c),
    );
    return this.lifecycle.changeChannels(
      sub,
      [...sub.channels, ...added],
      channels.length > 0,
      "subscribeChannels",
    );
  }

  async unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void> {
    const sub = this.requireLocal(id);
    const removed = new Set(parseChannelList(channels, "unsubscribeChannels"));
    return this.lifecycle.changeChannels(
      sub,
      sub.channels.filter((c) => !removed.has(c)),
      channels.length > 0,
      "unsubscribeChannels",
    );
  }

  async changeChannels(id: string, change: ChannelChange): Promise<void> {
    const { unsubscribe, subscribe } = checkChannelChange(this.requireLocal(id).channels, change);
    if (unsubscribe) await this.unsubscribeFromChannels(id, unsubscribe);
    if (subscribe) await this.subscribeToChannels(id, subscribe);
  }

  async pulse(id: string): Promise<boolean> {
    const sub = this.index.get(id);
    if (!sub) return false;
    const now = this.options.now();
    // ServiceStack sweeps before the lookup: an expired subscription answers 404, not 200.
    if (this.isExpired(sub, now)) {
      await this.unsubscribe(sub);
      return false;
    }
    sub.lastPulseAt = now;
    this.counters.heartbeats++;
    if (!sub.writePrivate("cmd.onHeartbeat", sub.metaJson())) {
      await this.unsubscribe(sub);
      return false;
    }
    // Another subscription's clean-up must never fail this heartbeat: sweep in the background.
    if (now - this.lastSweepAt > this.options.houseKeepingIntervalMs)
      this.removeExpiredSubscriptions().catch((error: unknown) => this.options.onError(error));
    return true;
  }

  /** Removes subscriptions idle past the timeout; returns how many it removed. */
  async removeExpiredSubscriptions(): Promise<number> {
    const now = (this.lastSweepAt = this.options.now());
    const expired = [...this.index.all()].filter((sub) => this.isExpired(sub, now));
    const results = await Promise.allSettled(expired.map((sub) => this.unsubscribe(sub)));
    let removed = 0;
    for (const result of results)
      if (result.status === "rejected") this.options.onError(result.reason);
      else if (result.value !== null) removed++;
    this.counters.expiredSubscriptions += removed;
    return removed;
  }

  getNextSequence(name: string): Promise<number> {
    return this.transport.nextSequence(name);
  }

  async reset(): Promise<void> {
    // ServiceStack leaves the streams open: clients learn of the reset from a heartbeat 404 and
    // reconnect. Streams of clients that never heartbeat again are closed after the idle timeout.
    const orphans = [...this.index.all()];
    this.index.clear();
    if (orphans.length > 0) {
      const closeOrphans = setTimeout(() => {
        for (const sub of orphans) sub.close();
      }, this.options.idleTimeoutMs);
      closeOrphans.unref?.();
    }
    await this.transport.reset();
  }

  /** Writes a published message to every local subscription it is addressed to. */
  deliver(message: PublishedMessage): void {
    this.delivery.deliver(message);
  }

  private isExpired(sub: Subscription, now: number): boolean {
    return isExpired(sub, now, this.options.idleTimeoutMs);
  }

  private publishTo(
    target: NotifyTarget,
    selector: string,
    json: string,
    channelFilter?: string,
  ): Promise<void> {
    return this.transport.publish({
      target:
        target.kind === "channel"
          ? { kind: "channel", value: assertChannel(target.value) }
          : target,
      selector: assertSelector(selector),
      json: toSingleLineJson(json, "message"),
      channelFilter: channelFilter === undefined ? undefined : assertChannel(channelFilter),
    });
  }

  private requireLocal(id: string): Subscription {
    const sub = this.index.get(id);
    if (!sub) throw subscriptionNotFound(id);
    return sub;
  }

  private unsubscribe(sub: Subscription): Promise<SubscriptionInfo | null> {
    return this.lifecycle.leave(sub);
  }
}
