import type { ChannelChange } from "./channel-change";
import type { NotifyTarget, PublishedMessage } from "./message";
import {
  endOfStreamRetryHint,
  resolveOptions,
  type ResolvedServerEventsOptions,
  type ServerEventsOptions,
} from "./options";
import { createNotifyMethods, type NotifyMethods } from "./notify-methods";
import type { Readiness, RegisterOptions, ServerEvents, StopOptions } from "./server-events";
import type { Subscription, SubscriptionInfo, SubscriptionOwner } from "./subscription";
import { createCounters, type ServerEventsStats } from "./stats";
import { SubscriptionIndex } from "./subscription-index";
import { LocalDelivery } from "./local-delivery";
import { LocalExpiry } from "./local-expiry";
import { InProcessTransport, type MessageTransport } from "./transport";
import { SubscriptionLifecycle, type LocalSubscriptionObserver } from "./subscription-lifecycle";
import { assertChannel, assertSelector, toSingleLineJson } from "./wire/validate";

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
  private readonly delivery: LocalDelivery;
  private readonly lifecycle: SubscriptionLifecycle;
  private readonly expiry: LocalExpiry;

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
    this.expiry = new LocalExpiry(this.index, this.options, this.counters, (sub) =>
      this.unsubscribe(sub),
    );
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
    this.expiry.start();
  }

  /** Nothing outside the process to wait for. */
  checkReadiness(): Promise<Readiness> {
    return Promise.resolve({ ready: true });
  }

  /** Published in this process, the leaves cannot be cut short: the streams always end first. */
  async stop({ notify = false }: StopOptions = {}): Promise<void> {
    this.expiry.stop();
    const subscriptions = [...this.index.all()];
    this.endStreams();
    if (notify) await Promise.all(subscriptions.map((sub) => this.unsubscribe(sub)));
    for (const sub of subscriptions) {
      this.index.remove(sub);
      sub.close();
    }
    // Streams that closed just before (their leave already under way) finish leaving first.
    await this.lifecycle.settled();
    await this.transport.close();
  }

  /**
   * Ends every open stream with a `retry:` hint: clients move on at once (to another instance,
   * behind a load balancer) and resume there. Their subscriptions stay until `stop` removes them.
   */
  endStreams(): void {
    const retryMs = endOfStreamRetryHint(this.options);
    for (const sub of [...this.index.all()]) if (!sub.isClosed) sub.endWithRetryHint(retryMs);
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

  subscribeToChannels(id: string, channels: readonly string[]): Promise<void> {
    return this.lifecycle.subscribeToChannels(id, channels);
  }

  unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void> {
    return this.lifecycle.unsubscribeFromChannels(id, channels);
  }

  changeChannels(id: string, change: ChannelChange): Promise<void> {
    return this.lifecycle.changeChannels(id, change);
  }

  pulse(id: string): Promise<boolean> {
    return this.expiry.pulse(id);
  }

  /** Removes subscriptions idle past the timeout; returns how many it removed. */
  removeExpiredSubscriptions(): Promise<number> {
    return this.expiry.removeExpiredSubscriptions();
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

  private unsubscribe(sub: Subscription): Promise<SubscriptionInfo | null> {
    return this.lifecycle.leave(sub);
  }
}
