import { checkChannelChange, type ChannelChange } from "./channel-change";
import { subscriptionNotFound } from "./errors";
import type { PublishedMessage } from "./message";
import type { ResolvedServerEventsOptions } from "./options";
import type { RegisterOptions } from "./server-events";
import type { ServerEventsStats } from "./stats";
import type { Subscription, SubscriptionInfo } from "./subscription";
import type { SubscriptionIndex } from "./subscription-index";
import { ReplayFrames } from "./replay-frames";
import type { MessageTransport } from "./transport";
import { assertChannelListSize, parseChannelList } from "./wire/validate";

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

/**
 * A local subscription's life in ServiceStack's order: joining (onConnect frame, replay, store,
 * onSubscribe, onJoin), live channel changes (onUpdate) and leaving (unindex, onUnsubscribe, end of
 * stream, store, onLeave, onDispose). Hooks and stores that fail are reported, never allowed to
 * stop the sequence half-way.
 */
export class SubscriptionLifecycle {
  /**
   * `observer.added` in flight per subscription: removal waits for it, so a cluster store never
   * re-adds a subscription that already left. (Not a full lock: hooks may call back into us.)
   */
  private readonly storing = new WeakMap<Subscription, Promise<void>>();
  /** Leaves in flight (a closed stream starts one): stop() waits, so none outlives the store. */
  private readonly leaving = new Set<Promise<unknown>>();
  /** Replayed messages and their frames, one copy for every stream that holds them. */
  private readonly replayFrames = new ReplayFrames();

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly transport: MessageTransport,
    private readonly options: ResolvedServerEventsOptions,
    private readonly counters: Pick<
      ServerEventsStats,
      "registrations" | "unregistrations" | "replayedMessages" | "slowConsumerDisconnects"
    >,
    private readonly observer: LocalSubscriptionObserver,
  ) {}

  async join(
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
      replayed = this.replayFrames.share(result.messages);
      this.counters.replayedMessages += replayed.length;
      connectArgs.recovered = String(result.complete);
      // It left while its replay was read (a database read, in a cluster): its leave found nothing
      // stored and announced nothing, so storing or announcing it now would leave a ghost.
      if (!this.isIndexed(sub)) return;
    }
    sub.writePrivate("cmd.onConnect", JSON.stringify(connectArgs));
    // Not awaited: a large replay goes out as the subscriber reads it, while joining goes on (live
    // frames, its own onJoin included, wait behind the replay). One that cannot take it leaves.
    if (!(replayed.length === 0 && sub.endEmptyReplay())) this.writeReplay(sub, replayed);
    // Awaited only when there is a store or a hook: the memory provider joins within the turn.
    const added = this.observer.added?.(sub);
    if (added !== undefined) {
      const storing = Promise.resolve(added);
      this.storing.set(
        sub,
        storing.catch(() => undefined),
      );
      await storing;
    }
    if (!this.isIndexed(sub)) return;
    if (this.options.onSubscribe) await this.options.onSubscribe(sub);
    if (!this.options.notifyChannelOfSubscriptions) return;
    const meta = sub.metaJson();
    for (const channel of sub.channels) {
      // Gone meanwhile (closed tab): its onLeave follows, so no join may go out after it.
      if (!this.isIndexed(sub)) return;
      await this.publishPresence(channel, "cmd.onJoin", meta);
    }
  }

  private writeReplay(sub: Subscription, replayed: readonly PublishedMessage[]): void {
    sub
      .endReplay(
        replayed,
        (message) => this.replayFrames.frameOf(message),
        this.options.idleTimeoutMs,
      )
      .then(async (complete) => {
        if (complete || !sub.wasTooSlow) return;
        this.counters.slowConsumerDisconnects++;
        await this.leave(sub);
      })
      .catch((error: unknown) => this.options.onError(error, sub));
  }

  /** Joins the channels it is not in yet; an empty list changes nothing and announces nothing. */
  async subscribeToChannels(id: string, channels: readonly string[]): Promise<void> {
    const sub = this.requireIndexed(id);
    const added = parseChannelList(channels, "subscribeChannels").filter(
      (c) => !sub.channels.includes(c),
    );
    return this.replaceChannels(
      sub,
      [...sub.channels, ...added],
      channels.length > 0,
      "subscribeChannels",
    );
  }

  async unsubscribeFromChannels(id: string, channels: readonly string[]): Promise<void> {
    const sub = this.requireIndexed(id);
    const removed = new Set(parseChannelList(channels, "unsubscribeChannels"));
    return this.replaceChannels(
      sub,
      sub.channels.filter((c) => !removed.has(c)),
      channels.length > 0,
      "unsubscribeChannels",
    );
  }

  /** Both steps are validated before the first is taken; each looks the subscription up anew. */
  async changeChannels(id: string, change: ChannelChange): Promise<void> {
    const { unsubscribe, subscribe } = checkChannelChange(this.requireIndexed(id).channels, change);
    if (unsubscribe) await this.unsubscribeFromChannels(id, unsubscribe);
    if (subscribe) await this.subscribeToChannels(id, subscribe);
  }

  private async replaceChannels(
    sub: Subscription,
    channels: string[],
    announce: boolean,
    field: string,
  ): Promise<void> {
    assertChannelListSize(channels, field);
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

  /** ServiceStack's unsubscription sequence: unindex, onUnsubscribe, end the stream, onLeave. */
  leave(sub: Subscription): Promise<SubscriptionInfo | null> {
    const leaving = this.leaveInOrder(sub);
    this.leaving.add(leaving);
    const forget = () => this.leaving.delete(leaving);
    leaving.then(forget, forget);
    return leaving;
  }

  /** Resolves once every leave started before the call has run to its end. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.leaving]);
  }

  private async leaveInOrder(sub: Subscription): Promise<SubscriptionInfo | null> {
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

  isIndexed(sub: Subscription): boolean {
    return this.index.get(sub.id) === sub;
  }

  private requireIndexed(id: string): Subscription {
    const sub = this.index.get(id);
    if (!sub) throw subscriptionNotFound(id);
    return sub;
  }

  /**
   * One presence frame; `meta` is serialized once per event, whatever the number of channels, and
   * its bytes once per channel for every recipient (see `LocalDelivery.deliver`).
   */
  private publishPresence(channel: string, selector: string, meta: string): Promise<void> {
    return this.transport.publish({
      target: { kind: "channel", value: channel },
      selector,
      json: meta,
    });
  }

  private async guarded(sub: Subscription, step: () => unknown): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.options.onError(error, sub);
    }
  }
}
