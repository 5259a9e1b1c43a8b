import { invalidArgument, subscriptionNotFound } from "./errors";
import type { NotifyTarget, PublishedMessage } from "./message";
import {
  endOfStreamRetryHint,
  resolveOptions,
  type ResolvedServerEventsOptions,
  type ServerEventsOptions,
} from "./options";
import { createNotifyMethods, type NotifyMethods } from "./notify-methods";
import type { Readiness, RegisterOptions, ServerEvents } from "./server-events";
import type { Subscription, SubscriptionInfo } from "./subscription";
import { createCounters, type ServerEventsStats } from "./stats";
import { SubscriptionIndex } from "./subscription-index";
import { frameOf, isExpired, LocalDelivery } from "./local-delivery";
import { InProcessTransport, type MessageTransport } from "./transport";
import {
  MAX_CHANNELS_PER_SUBSCRIPTION,
  assertChannel,
  assertSelector,
  parseChannelList,
  toSingleLineJson,
} from "./wire/validate";

/** Lets a cluster provider mirror local subscriptions into its shared store. */
export interface LocalSubscriptionObserver {
  added?(subscription: Subscription): Promise<void> | void;
  /**
   * Return `false` when the shared store no longer had it: another instance already removed it and
   * sent its onLeave, so this one must not send it again.
   */
  removed?(subscription: Subscription): Promise<boolean | void> | boolean | void;
  channelsChanged?(subscription: Subscription): Promise<void> | void;
}

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
  private readonly observer: LocalSubscriptionObserver;
  /** Counters a cluster provider may add to (spilled payloads, listener reconnects). */
  readonly counters = createCounters();
  private houseKeeping: ReturnType<typeof setInterval> | undefined;
  /**
   * `observer.added` in flight per subscription: removal waits for it, so a cluster store never
   * re-adds a subscription that already left. (Not a full lock: hooks may call back into us.)
   */
  private readonly storing = new WeakMap<Subscription, Promise<void>>();
  private lastSweepAt = 0;
  private readonly delivery: LocalDelivery;

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
    this.observer = init.observer ?? {};
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

  getSubscriptionsDetails(channels: readonly string[]): Promise<Record<string, string>[]> {
    const seen = new Set<Subscription>();
    for (const channel of channels) for (const sub of this.index.inChannel(channel)) seen.add(sub);
    return Promise.resolve([...seen].map((sub) => ({ ...sub.meta })));
  }

  getAllSubscriptionsDetails(): Promise<Record<string, string>[]> {
    return Promise.resolve([...this.index.all()].map((sub) => ({ ...sub.meta })));
  }

  register(sub: Subscription, connectArgs: Record<string, string>, options: RegisterOptions = {}) {
    // The client went away before we got here: announce nothing for a connection that never was.
    if (sub.isClosed) return Promise.resolve();
    return this.registerNow(sub, connectArgs, options);
  }

  private async registerNow(
    sub: Subscription,
    connectArgs: Record<string, string>,
    options: RegisterOptions,
  ): Promise<void> {
    const head = this.transport.head();
    // A Last-Event-ID from the future (e.g. this in-memory server restarted) cannot be trusted.
    const resumeFrom =
      options.lastEventId !== undefined && options.lastEventId <= head
        ? options.lastEventId
        : undefined;
    sub.attach(this);
    sub.cursor = resumeFrom ?? head;
    sub.beginReplay();
    this.index.add(sub);
    this.counters.registrations++;
    let replayed: PublishedMessage[] = [];
    if (options.lastEventId !== undefined) {
      const result =
        resumeFrom === undefined
          ? { messages: [], complete: false }
          : await this.transport.replay(resumeFrom, sub.toInfo());
      replayed = result.messages;
      this.counters.replayedMessages += replayed.length;
      connectArgs.recovered = String(result.complete);
    }
    sub.writePrivate("cmd.onConnect", JSON.stringify(connectArgs));
    sub.endReplay(replayed.map((message) => ({ id: message.id, frame: frameOf(message) })));
    const storing = Promise.resolve(this.observer.added?.(sub));
    this.storing.set(
      sub,
      storing.catch(() => undefined),
    );
    await storing;
    if (!this.isIndexed(sub)) return;
    await this.options.onSubscribe?.(sub);
    if (!this.options.notifyChannelOfSubscriptions) return;
    const meta = sub.metaJson();
    for (const channel of sub.channels) {
      // Gone meanwhile (closed tab): its onLeave follows, so no join may go out after it.
      if (!this.isIndexed(sub)) return;
      await this.publishPresence(channel, "cmd.onJoin", meta);
    }
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
    return this.changeChannels(
      sub,
      [...sub.channels, ...added],
      channels.length > 0,
      "subscribeChannels",
    );
  }

  async unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void> {
    const sub = this.requireLocal(id);
    const removed = new Set(parseChannelList(channels, "unsubscribeChannels"));
    return this.changeChannels(
      sub,
      sub.channels.filter((c) => !removed.has(c)),
      channels.length > 0,
      "unsubscribeChannels",
    );
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

  private isIndexed(sub: Subscription): boolean {
    return this.index.get(sub.id) === sub;
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

  /**
   * One presence frame; `meta` is serialized once per event, whatever the number of channels, and
   * its bytes once per channel for every recipient (see `deliver`).
   */
  private publishPresence(channel: string, selector: string, meta: string): Promise<void> {
    return this.transport.publish({
      target: { kind: "channel", value: channel },
      selector,
      json: meta,
    });
  }

  private requireLocal(id: string): Subscription {
    const sub = this.index.get(id);
    if (!sub) throw subscriptionNotFound(id);
    return sub;
  }

  private async changeChannels(
    sub: Subscription,
    channels: string[],
    announce: boolean,
    field: string,
  ): Promise<void> {
    if (channels.length > MAX_CHANNELS_PER_SUBSCRIPTION)
      throw invalidArgument(
        field,
        `A subscription may hold at most ${MAX_CHANNELS_PER_SUBSCRIPTION} channels`,
      );
    const merged = [...new Set([...sub.channels, ...channels])];
    this.index.setChannels(sub, channels);
    // The change is made: a failing hook or store is reported, not turned into a failed request.
    await this.guarded(sub, () => this.observer.channelsChanged?.(sub));
    if (!announce) return;
    await this.guarded(sub, () => this.options.onUpdate?.(sub));
    if (!this.options.notifyChannelOfSubscriptions) return;
    const meta = sub.metaJson();
    for (const channel of merged) {
      if (!this.isIndexed(sub)) return;
      await this.publishPresence(channel, "cmd.onUpdate", meta);
    }
  }

  private async guarded(sub: Subscription, step: () => unknown): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.options.onError(error, sub);
    }
  }

  /** ServiceStack's unsubscription sequence: unindex, onUnsubscribe, end the stream, onLeave. */
  private async unsubscribe(sub: Subscription): Promise<SubscriptionInfo | null> {
    if (!this.index.remove(sub)) return null;
    this.counters.unregistrations++;
    await this.guarded(sub, () => this.options.onUnsubscribe?.(sub));
    await this.guarded(sub, () => sub.onUnsubscribe?.(sub));
    sub.close();
    await this.storing.get(sub);
    let announce = true;
    await this.guarded(sub, async () => {
      announce = (await this.observer.removed?.(sub)) !== false;
    });
    if (announce && this.options.notifyChannelOfSubscriptions) {
      const meta = sub.metaJson();
      for (const channel of sub.channels)
        await this.guarded(sub, () => this.publishPresence(channel, "cmd.onLeave", meta));
    }
    await this.guarded(sub, () => this.options.onDispose?.(sub));
    return sub.toInfo();
  }
}
